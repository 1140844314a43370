// Temperature logs from the command line: upload a logger's CSV export, release a quarantine, and show a
// subject's readings and verdict.
import { readFileSync } from 'node:fs';
import { PharmaTraceClient, readKeyFile, recordReadings, releaseQuarantine, temperatureHistory } from '@pharmatrace/sdk';
import { flags, required, UsageError } from '../args';

export const COLD_CHAIN_USAGE = `  readings record --server URL --key LOGGER_KEY_FILE --subject ID --csv FILE   (lines: ISO-time,celsius)
  quarantine release --server URL --key FILE --items a,b --reason R
  temperatures --server URL --key FILE --subject ID`;

function parseCsv(path: string): Array<{ at: string; celsius: number }> {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#') && !/^time/i.test(line))
    .map((line, i) => {
      const [at, value] = line.split(',').map((x) => x.trim());
      const celsius = Number(value);
      if (Number.isNaN(Date.parse(at)) || !Number.isFinite(celsius)) throw new UsageError(`${path} line ${i + 1}: expected "ISO-time,celsius", got "${line}"`);
      return { at, celsius };
    });
}

export async function coldChainCommand(command: string, argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (command === 'readings' && sub === 'record') {
    const f = flags(rest, ['server', 'key', 'subject', 'csv']);
    const receipts = await recordReadings(new PharmaTraceClient(required(f, 'server'), readKeyFile(required(f, 'key'))), required(f, 'subject'), parseCsv(required(f, 'csv')));
    console.log(JSON.stringify({ events: receipts.length, lastSeq: receipts[receipts.length - 1]?.seq ?? null }));
    return;
  }
  if (command === 'quarantine' && sub === 'release') {
    const f = flags(rest, ['server', 'key', 'items', 'reason']);
    const client = new PharmaTraceClient(required(f, 'server'), readKeyFile(required(f, 'key')));
    console.log(JSON.stringify(await releaseQuarantine(client, required(f, 'items').split(','), required(f, 'reason'))));
    return;
  }
  if (command === 'temperatures') {
    const f = flags(argv, ['server', 'key', 'subject']);
    const h = await temperatureHistory(new PharmaTraceClient(required(f, 'server'), readKeyFile(required(f, 'key'))), required(f, 'subject'));
    console.log(`${h.subject}: ${h.verdict} (${h.readingCount} readings)`);
    for (const e of h.evaluations) console.log(`  ${e.gtin}: ${e.verdict}, ${e.minutesOutOfRange} min out of range, worst ${e.worstC} °C, MKT ${e.mktC} °C`);
    return;
  }
  throw new UsageError(`unknown command: ${command} ${sub ?? ''}`);
}
