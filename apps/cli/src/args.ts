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

const DECIMAL = /^[+-]?\d+(\.\d+)?$/;

/** A plain decimal number with a dot (7.5, -20, 0.25): never blank, `7,5`, `1e3`, `0x10`, `Infinity`. */
export function decimalFlag(f: Flags, name: string): number {
  const text = required(f, name);
  if (!DECIMAL.test(text)) throw new UsageError(`--${name} must be a plain decimal number with a dot as decimal separator (e.g. 7.5), not "${text}"`);
  return Number(text);
}

/** A whole number of at least 1, written in plain digits. */
export function countFlag(f: Flags, name: string): number {
  const text = required(f, name);
  if (!/^[1-9]\d{0,8}$/.test(text)) throw new UsageError(`--${name} must be a whole number of at least 1 written in digits (e.g. 500), not "${text}"`);
  return Number(text);
}
