// Small shared checks for validating untrusted JSON (event envelopes, block headers).
import type { Problem } from './errors';

export const HASH_HEX_PATTERN = /^[0-9a-f]{64}$/;

// RFC 3339 in UTC with an optional millisecond part, the form Date.prototype.toISOString writes.
// One spelling per instant keeps signed timestamps comparable as text.
const TIMESTAMP_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{3})?Z$/;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function isHashHex(value: unknown): value is string {
  return typeof value === 'string' && HASH_HEX_PATTERN.test(value);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** `YYYY-MM-DDTHH:MM:SS(.sss)?Z` naming a real instant (no Feb 30, no leap second 60). */
export function isUtcTimestamp(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = TIMESTAMP_PATTERN.exec(value);
  if (m === null) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  return (
    year >= 1 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59
  );
}

/**
 * Where a JSON value holds text PostgreSQL cannot store unchanged — U+0000 (refused by `text` and
 * `jsonb`) or an unpaired UTF-16 surrogate (not encodable as UTF-8, so silently replaced by U+FFFD and
 * the stored bytes would no longer hash to the signed ones) — in a member name or a string value.
 * Returns a description of the first such place (`$.data.name`), or null when there is none.
 */
export function findUnstorableText(value: unknown, path = '$', depth = 0): string | null {
  if (typeof value === 'string') return unstorable(value) ? `${path} ${unstorable(value)}` : null;
  if (depth > 64 || value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    const why = unstorable(key);
    if (why) return `the member name at ${path} ${why}`;
    const found = findUnstorableText(inner, `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return null;
}

const NUL = /\u0000/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function unstorable(text: string): string | null {
  if (NUL.test(text)) return 'contains the character U+0000 (NUL)';
  if (LONE_SURROGATE.test(text)) return 'contains an unpaired UTF-16 surrogate (not valid Unicode text)';
  return null;
}

/** A character free text shown to people must not hold, where it is: see findControlCharacter. */
export interface ControlCharacter {
  /** Index (UTF-16 code units) in the text. */
  index: number;
  /** `U+001B`. */
  codePoint: string;
  /** `ESC`, `RIGHT-TO-LEFT OVERRIDE`, or the kind of control character it is. */
  name: string;
}

// C0 controls, DEL and the C1 controls (U+0000–U+001F, U+007F–U+009F), and the bidirectional embeddings,
// overrides (U+202A–U+202E) and isolates (U+2066–U+2069), which reorder what a terminal, a spreadsheet or a
// web page shows: an ESC sequence rewrites a terminal, a bidi override makes "exe.txt" read "txt.exe".
const CONTROL_OR_BIDI = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

const CHARACTER_NAMES: Record<number, string> = {
  0x00: 'NUL', 0x07: 'BEL', 0x08: 'BACKSPACE', 0x09: 'TAB', 0x0a: 'LINE FEED', 0x0b: 'VERTICAL TAB', 0x0c: 'FORM FEED',
  0x0d: 'CARRIAGE RETURN', 0x1b: 'ESC', 0x7f: 'DEL', 0x85: 'NEXT LINE', 0x9b: 'CSI',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING', 0x202b: 'RIGHT-TO-LEFT EMBEDDING', 0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE', 0x202e: 'RIGHT-TO-LEFT OVERRIDE', 0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE', 0x2068: 'FIRST STRONG ISOLATE', 0x2069: 'POP DIRECTIONAL ISOLATE',
};

function characterName(code: number): string {
  const name = CHARACTER_NAMES[code];
  if (name) return name;
  return code < 0x80 ? 'a C0 control character' : 'a C1 control character';
}

/**
 * The first control or bidirectional-formatting character in free text that people read (a reason, the
 * instructions of a recall) and that CLIs, CSV reports and webhook receivers pass on, or null. `multiline`
 * allows line feeds and tabs (and nothing else: no carriage return).
 */
export function findControlCharacter(text: string, opts: { multiline?: boolean } = {}): ControlCharacter | null {
  for (const m of text.matchAll(CONTROL_OR_BIDI)) {
    const c = m[0];
    if (opts.multiline && (c === '\n' || c === '\t')) continue;
    const code = c.charCodeAt(0);
    return { index: m.index ?? 0, codePoint: `U+${code.toString(16).toUpperCase().padStart(4, '0')}`, name: characterName(code) };
  }
  return null;
}

/** Collects every problem found, so one answer tells the sender everything to fix. */
export class ProblemList {
  readonly items: Problem[] = [];

  add(code: string, path: string, message: string): void {
    this.items.push({ code, path, message });
  }

  get empty(): boolean {
    return this.items.length === 0;
  }
}

/**
 * Reports every member of `obj` that is not in `allowed` and every required member that is
 * absent; returns true when all required members are present.
 */
export function checkMembers(
  obj: Record<string, unknown>,
  required: readonly string[],
  allowed: readonly string[],
  prefix: string,
  problems: ProblemList,
): boolean {
  const known = new Set(allowed);
  for (const key of Object.keys(obj)) {
    if (!known.has(key)) problems.add('UNKNOWN_FIELD', joinPath(prefix, key), `"${key}" is not a known field here.`);
  }
  let complete = true;
  for (const key of required) {
    if (!Object.prototype.hasOwnProperty.call(obj, key)) {
      problems.add('MISSING_FIELD', joinPath(prefix, key), `"${key}" is required.`);
      complete = false;
    }
  }
  return complete;
}

export function joinPath(prefix: string, key: string): string {
  if (!prefix) return key;
  if (!key) return prefix;
  return key.startsWith('[') ? `${prefix}${key}` : `${prefix}.${key}`;
}

export function isBoundedString(value: unknown, min: number, max: number): value is string {
  return typeof value === 'string' && value.length >= min && value.length <= max;
}
