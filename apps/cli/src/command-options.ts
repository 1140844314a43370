// Options of the SDK-backed subcommands (recall, webhook): `--name value` strings, repeatable list flags,
// switches, and the --json / --help every one of them takes; any mistake is bad usage (exit 2).
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ErrorCode } from '@pharmatrace/errors/error-codes';
import { PharmaTraceClient, readKeyFile } from '@pharmatrace/sdk';
import { Flags, required, UsageError } from './args';
import { parseList } from './item-lists';

export interface OptionSpec {
  strings?: string[];
  /** Flags that may repeat, each value itself a comma list (`--batch a --batch b,c`), parsed like item-lists.ts. */
  lists?: string[];
  /** Switches without a value (--notify-patients); --json and --help are always there. */
  switches?: string[];
}

export interface Options {
  f: Flags;
  lists: Record<string, string[]>;
  switches: Set<string>;
  json: boolean;
  help: boolean;
}

export function parseOptions(argv: string[], spec: OptionSpec): Options {
  const strings = spec.strings ?? [];
  const lists = spec.lists ?? [];
  const switches = spec.switches ?? [];
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: {
        ...Object.fromEntries(strings.map((n) => [n, { type: 'string' as const }])),
        ...Object.fromEntries(lists.map((n) => [n, { type: 'string' as const, multiple: true as const }])),
        ...Object.fromEntries(switches.map((n) => [n, { type: 'boolean' as const }])),
        json: { type: 'boolean' as const },
        help: { type: 'boolean' as const, short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const help = values.help === true;
  const f: Flags = {};
  for (const n of strings) f[n] = values[n] as string | undefined;
  const parsedLists: Record<string, string[]> = {};
  // With --help nothing else is judged: the help is printed whatever came with it.
  for (const n of lists) parsedLists[n] = help ? [] : ((values[n] as string[] | undefined) ?? []).flatMap((v) => parseList(v, `--${n}`, false));
  return { f, lists: parsedLists, switches: new Set(switches.filter((n) => values[n] === true)), json: values.json === true, help };
}

/** The client for --server and --key, the key file checked before anything is sent. */
export function clientOf(f: Flags): PharmaTraceClient {
  const keyPath = required(f, 'key');
  if (!existsSync(keyPath)) throw new UsageError(`--key ${keyPath}: no such file; give your participant's key file (keys generate --out FILE)`);
  return new PharmaTraceClient(required(f, 'server'), readKeyFile(keyPath));
}

/** A command that ran but cannot do what was asked (nothing to acknowledge, no such recall): exit 1, `CODE: sentence` on stderr. */
export class CliRefusal extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Rows as aligned columns, the first row the header. */
export function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')).join('\n');
}
