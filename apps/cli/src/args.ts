import { parseArgs } from 'node:util';

export type Flags = Record<string, string | undefined>;

/** Parses `--name value` flags; every listed flag is a string option. */
export function flags(argv: string[], names: string[]): Flags {
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])),
    strict: true,
    allowPositionals: false,
  });
  return values as Flags;
}

export class UsageError extends Error {}

export function required(f: Flags, name: string): string {
  const v = f[name];
  if (!v) throw new UsageError(`--${name} is required`);
  return v;
}
