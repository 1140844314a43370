// Tracing reports from the command line, through the SDK: a regulator's forward trace of a batch or an
// ingredient lot, a backward trace of a pack, and a recall's progress, as JSON or CSV.
//
// Forward traces are streamed page by page (each page written as it arrives; the whole report is never held
// in memory): CSV is one row per pack with the header once; JSON is JSON Lines — one object a line, tagged by
// "type": first {"type":"summary",…}, then {"type":"pack",…,"dispense":{…}|null} for every pack and
// {"type":"shipment",…} for each open shipment carrying affected goods (once, when first met).
// Every report is safe to print to a terminal: CSV cells are neutralised (trace-csv.ts safeCsvText: no formula
// triggers, control and bidi characters replaced) and JSON escapes every control and bidi character.
// Exit codes: 0 done, 1 refused by the server (the code on stderr), 2 bad usage.
import { createWriteStream, existsSync, WriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import {
  ForwardTraceTarget, PharmaTraceClient, readKeyFile, recallProgress, traceBackward, traceForwardCsvPages, traceForwardPages,
} from '@pharmatrace/sdk';
import { backwardTraceCsv, recallProgressCsv, terminalSafeJson } from '@pharmatrace/tracing/trace-csv';
import { Flags, required, UsageError } from '../args';
import { progressBar } from '../progress-bar';

export const TRACE_USAGE = `  trace forward --server URL --key FILE (--batch ID | --ingredient-lot ID) [--format json|csv] [--out FILE]
                [--page-size N] [--progress]
              regulators; ID: batch:<GTIN-14>/<lot> or ingredient-lot:<supplier>/<lot>; streamed page by page:
              csv one row per pack, json as JSON Lines (summary, then pack and shipment lines); a progress bar
              on stderr when it is a terminal or with --progress
  trace backward --server URL --key FILE (--pack sgtin:… | --scan CODE) [--format json|csv] [--out FILE]
  recall progress --server URL --key FILE --recall ID [--format json|csv] [--out FILE]`;

const HELP: Record<string, string> = {
  forward: `usage: trace forward --server URL --key FILE (--batch ID | --ingredient-lot ID) [--format json|csv] [--out FILE] [--page-size N] [--progress]

Every pack of a batch (batch:<GTIN-14>/<lot>), or of every batch that consumed an ingredient lot
(ingredient-lot:<supplier>/<lot>): its state, custodian (name, GLN), containers, the open shipment it travels
in, and the pharmacy that supplied it (patient pseudonym only). Regulators only.

  --format csv    one row per pack, header first (RFC 4180)
  --format json   JSON Lines (default): {"type":"summary",…}, then {"type":"pack",…} per pack and
                  {"type":"shipment",…} per open shipment carrying affected goods
  --out FILE      write there instead of stdout (each page as it arrives)
  --page-size N   packs a request, 1-1000 (default 500)
  --progress      a progress bar on stderr even when it is not a terminal

Exit codes: 0 done, 1 refused by the server (e.g. FORBIDDEN_ROLE, UNKNOWN_BATCH), 2 bad usage.`,
  backward: `usage: trace backward --server URL --key FILE (--pack sgtin:<GTIN-14>.<serial> | --scan CODE) [--format json|csv] [--out FILE]

Where a pack came from: batch, manufacturer, ingredient lots with supplier and certificate of origin, every
custodian with dates, shipments and temperature verdicts. Regulators, and participants for a pack they held
(up to their handover). --scan takes a GS1 element string or Digital Link URI.

  --format json   one JSON object (default)     --format csv   one row per fact (section column)
Exit codes: 0 done, 1 refused by the server (UNKNOWN_ITEM for a pack you may not see), 2 bad usage.`,
  progress: `usage: recall progress --server URL --key FILE --recall ID [--format json|csv] [--out FILE]

Where the packs of a recall stand (in the chain, in transit back, returned, never shipped, destroyed, supplied
before the recall), by custodian (the 1000 with the most packs; byCustodianOmitted counts the rest), with each
holder's notification and acknowledgement (the first 1000, unacknowledged first). Regulators; the recalling
manufacturer sees counts, a direct customer's line only for packs it shipped to that customer itself and the
customer still holds, everything else on one "elsewhere" line.

  --format json   one JSON object (default)     --format csv   one row per custodian, then TOTAL
Exit codes: 0 done, 1 refused by the server (UNKNOWN_RECALL), 2 bad usage.`,
};

interface Parsed {
  f: Flags;
  progress: boolean;
  help: boolean;
}

function parse(argv: string[], names: string[]): Parsed {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        ...Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])),
        progress: { type: 'boolean' as const },
        help: { type: 'boolean' as const, short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
    const all = values as Record<string, string | boolean | undefined>;
    const f: Flags = {};
    for (const n of names) f[n] = all[n] as string | undefined;
    return { f, progress: all.progress === true, help: all.help === true };
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

function client(f: Flags): PharmaTraceClient {
  const keyPath = required(f, 'key');
  if (!existsSync(keyPath)) throw new UsageError(`--key ${keyPath}: no such file; give your key file (keys generate --out FILE)`);
  return new PharmaTraceClient(required(f, 'server'), readKeyFile(keyPath));
}

function formatOf(f: Flags): 'json' | 'csv' {
  const format = f.format ?? 'json';
  if (format !== 'json' && format !== 'csv') throw new UsageError(`--format must be json or csv, not "${format}"`);
  return format;
}

function pageSizeOf(f: Flags): number {
  if (f['page-size'] === undefined) return 500;
  if (!/^\d{1,4}$/.test(f['page-size']) || Number(f['page-size']) < 1 || Number(f['page-size']) > 1000) {
    throw new UsageError(`--page-size must be a whole number from 1 to 1000, not "${f['page-size']}"`);
  }
  return Number(f['page-size']);
}

/**
 * Where the report goes: a file or stdout; writes wait for the stream to drain. The file is created (or
 * truncated) at the first write, so a refused request leaves no empty report behind.
 */
class Output {
  private file: WriteStream | null = null;

  constructor(private readonly path: string | undefined) {
    if (path === '') throw new UsageError('--out needs a file path');
  }

  private stream(): NodeJS.WritableStream {
    if (this.path === undefined) return process.stdout;
    if (!this.file) {
      const path = this.path;
      this.file = createWriteStream(path, { flags: 'w' });
      this.file.on('error', (e) => (this.failure ??= new Error(`cannot write --out ${path}: ${e.message}`)));
    }
    return this.file;
  }

  private failure: Error | null = null;

  async write(text: string): Promise<void> {
    if (text.length === 0) return;
    const stream = this.stream();
    if (this.failure) throw this.failure;
    // A failing file emits 'error' (recorded above, and rejecting `once`) and then 'close'.
    if (!stream.write(text)) await Promise.race([once(stream, 'drain'), once(stream, 'close')]).catch(() => undefined);
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    if (!this.file) return;
    if (!this.file.closed) {
      this.file.end();
      await once(this.file, 'close').catch(() => undefined);
    }
    if (this.failure) throw this.failure;
  }
}

async function forward(p: Parsed): Promise<void> {
  const { f } = p;
  const batch = f.batch;
  const lot = f['ingredient-lot'];
  if ((batch === undefined) === (lot === undefined)) throw new UsageError('give --batch ID or --ingredient-lot ID (one of them)');
  if (batch === '' || lot === '') throw new UsageError('--batch / --ingredient-lot needs an id');
  const target: ForwardTraceTarget = batch !== undefined ? { batch } : { ingredientLot: lot as string };
  const format = formatOf(f);
  const options = { pageSize: pageSizeOf(f) };
  const c = client(f);
  const bar = progressBar('tracing', 'packs', { force: p.progress });
  const out = new Output(f.out);
  try {
    if (format === 'csv') {
      for await (const page of traceForwardCsvPages(c, target, options)) {
        if (page.totalPacks !== null) bar.update(0, page.totalPacks);
        await out.write(page.csv);
        bar.increment(countCsvRows(page.csv, page.totalPacks !== null));
      }
      return;
    }
    const seenShipments = new Set<string>();
    for await (const page of traceForwardPages(c, target, options)) {
      if (page.summary) {
        bar.update(0, page.summary.totalPacks);
        await out.write(`${terminalSafeJson({ type: 'summary', ...page.summary })}\n`);
      }
      const dispenses = new Map(page.dispenses.map((d) => [d.packId, d]));
      const lines = page.packs.map((pk) => terminalSafeJson({ type: 'pack', ...pk, dispense: dispenses.get(pk.id) ?? null }));
      for (const s of page.shipmentsInTransit) {
        if (seenShipments.has(s.id)) continue;
        seenShipments.add(s.id);
        lines.push(terminalSafeJson({ type: 'shipment', ...s }));
      }
      if (lines.length > 0) await out.write(`${lines.join('\n')}\n`);
      bar.increment(page.packs.length);
    }
  } finally {
    bar.stop();
    await out.close();
  }
}

/** Packs in a CSV page: its records, less the header on the first page (a quoted cell may hold line breaks). */
function countCsvRows(csv: string, header: boolean): number {
  let records = 0;
  let quoted = false;
  for (const ch of csv) {
    if (ch === '"') quoted = !quoted;
    else if (ch === '\n' && !quoted) records++;
  }
  return header ? Math.max(records - 1, 0) : records;
}

async function backward(p: Parsed): Promise<void> {
  const { f } = p;
  if ((f.pack === undefined) === (f.scan === undefined)) throw new UsageError('give --pack sgtin:… or --scan CODE (one of them)');
  const pack = (f.pack ?? f.scan) as string;
  if (pack === '') throw new UsageError('--pack / --scan needs the pack id or the scanned text');
  const format = formatOf(f);
  const trace = await traceBackward(client(f), pack);
  const out = new Output(f.out);
  try {
    await out.write(format === 'csv' ? backwardTraceCsv(trace) : `${terminalSafeJson(trace)}\n`);
  } finally {
    await out.close();
  }
}

async function progress(p: Parsed): Promise<void> {
  const { f } = p;
  const recall = required(f, 'recall');
  const format = formatOf(f);
  const view = await recallProgress(client(f), recall);
  const out = new Output(f.out);
  try {
    await out.write(format === 'csv' ? recallProgressCsv(view) : `${terminalSafeJson(view)}\n`);
  } finally {
    await out.close();
  }
}

/** `trace forward|backward …` and `recall progress …`. */
export async function traceCommand(command: 'trace' | 'recall', argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h') {
    console.log(`usage:\n${TRACE_USAGE}\nEach subcommand takes --help.`);
    return;
  }
  const base = ['server', 'key', 'format', 'out'];
  const which = command === 'recall' ? (sub === 'progress' ? 'progress' : null) : sub === 'forward' || sub === 'backward' ? sub : null;
  if (which === null) throw new UsageError(command === 'recall' ? `unknown command recall ${sub ?? ''}; try recall progress --help` : `unknown command trace ${sub ?? ''}; use trace forward or trace backward`);
  const names = which === 'forward' ? [...base, 'batch', 'ingredient-lot', 'page-size'] : which === 'backward' ? [...base, 'pack', 'scan'] : [...base, 'recall'];
  const p = parse(rest, names);
  if (p.help) {
    console.log(HELP[which]);
    return;
  }
  if (which === 'forward') return forward(p);
  if (which === 'backward') return backward(p);
  return progress(p);
}
