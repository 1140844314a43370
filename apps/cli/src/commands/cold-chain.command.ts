// Temperature logs from the command line: upload a logger's CSV export, release a quarantine, and show a
// subject's readings and verdict.
import { evaluationLine } from './temperature-lines';
import { MAX_READINGS_PER_CALL, PharmaTraceClient, readKeyFile, recordReadings, releaseQuarantine, temperatureHistory } from '@pharmatrace/sdk';
import { flags, required, UsageError } from '../args';
import { readUtf8File } from '../csv-records';
import { listFlag } from '../item-lists';
import { noteAtomicCall } from '../progress-bar';
import { parseReadingsCsv, resolveTimeZone } from './readings-csv';

export const COLD_CHAIN_USAGE = `  readings record --server URL --key LOGGER_KEY_FILE --subject ID --csv FILE [--timezone ZONE]
                  FILE: one reading a line, time,celsius (an optional header line, # comments), e.g.
                  2026-11-29T16:00:00+01:00,7.9 — the time in ISO 8601 with its zone (Z or ±hh:mm), the
                  temperature in °C with a dot; --timezone Europe/Berlin (an IANA zone) reads times
                  written without a zone as the logger's local time there. A bad line uploads nothing.
  quarantine release --server URL --key FILE (--items a,b | --items-file F) --reason R
  temperatures --server URL --key FILE --subject ID`;

export async function coldChainCommand(command: string, argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (command === 'readings' && sub === 'record') {
    const f = flags(rest, ['server', 'key', 'subject', 'csv', 'timezone']);
    const timeZone = f.timezone === undefined ? undefined : resolveTimeZone(f.timezone);
    const file = required(f, 'csv');
    const readings = parseReadingsCsv(readUtf8File(file), { file, timeZone, maxReadings: MAX_READINGS_PER_CALL });
    const client = new PharmaTraceClient(required(f, 'server'), readKeyFile(required(f, 'key')));
    noteAtomicCall(`readings: submitting ${readings.length.toLocaleString('en')} readings of ${file} in one atomic call…`);
    const receipts = await recordReadings(client, required(f, 'subject'), readings.map(({ at, celsius }) => ({ at, celsius })));
    console.log(JSON.stringify({ events: receipts.length, lastSeq: receipts[receipts.length - 1]?.seq ?? null }));
    return;
  }
  if (command === 'quarantine' && sub === 'release') {
    const f = flags(rest, ['server', 'key', 'items', 'items-file', 'reason']);
    const items = listFlag(f, 'items');
    const client = new PharmaTraceClient(required(f, 'server'), readKeyFile(required(f, 'key')));
    console.log(JSON.stringify(await releaseQuarantine(client, items, required(f, 'reason'))));
    return;
  }
  if (command === 'temperatures') {
    const f = flags(argv, ['server', 'key', 'subject']);
    const h = await temperatureHistory(new PharmaTraceClient(required(f, 'server'), readKeyFile(required(f, 'key'))), required(f, 'subject'));
    console.log(`${h.subject}: ${h.verdict} (${h.readingCount} readings)`);
    for (const e of h.evaluations) console.log(evaluationLine(e));
    return;
  }
  throw new UsageError(`unknown command: ${command} ${sub ?? ''}`);
}
