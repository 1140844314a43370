// Reads a type's versioned `data` field by field, refusing anything unexpected with INVALID_EVENT_DATA
// and the path of the offending field, so that rules stay short and their errors precise.
import { DomainError } from '@pharmatrace/errors';
import { findControlCharacter } from '@pharmatrace/ledger-core';

type Json = unknown;

export class EventDataReader {
  private readonly seen = new Set<string>();

  constructor(
    private readonly value: Record<string, Json>,
    private readonly path: string,
  ) {}

  static of(data: Json, path = 'data'): EventDataReader {
    if (typeof data !== 'object' || data === null || Array.isArray(data)) fail(path, 'must be an object');
    return new EventDataReader(data as Record<string, Json>, path);
  }

  private take(key: string): Json {
    this.seen.add(key);
    return this.value[key];
  }

  version(supported: number[]): number {
    const v = this.take('v');
    if (typeof v !== 'number' || !supported.includes(v)) fail(`${this.path}.v`, `must be one of ${supported.join(', ')}`);
    return v as number;
  }

  string(key: string, opts: { min?: number; max?: number; pattern?: RegExp; hint?: string } = {}): string {
    const v = this.take(key);
    const p = `${this.path}.${key}`;
    if (typeof v !== 'string') fail(p, 'must be a string');
    const s = v as string;
    if (s.length < (opts.min ?? 1)) fail(p, opts.min === 0 ? 'must be a string' : 'must not be empty');
    if (s.length > (opts.max ?? 500)) fail(p, `must be at most ${opts.max ?? 500} characters`);
    if (opts.pattern && !opts.pattern.test(s)) fail(p, opts.hint ?? `must match ${opts.pattern}`);
    return s;
  }

  /**
   * Free text people read — a reason, instructions, a summary — which CLIs, CSV reports, web pages and webhook
   * receivers pass on: a string (as `string`) without control characters (C0, DEL, C1) or bidirectional
   * embeddings, overrides and isolates, which could rewrite a terminal or reorder what a reader sees. `multiline`
   * allows line feeds and tabs, and nothing else.
   */
  text(key: string, opts: { min?: number; max: number; multiline?: boolean }): string {
    const s = this.string(key, { min: opts.min, max: opts.max });
    const found = findControlCharacter(s, { multiline: opts.multiline });
    if (found) {
      const p = `${this.path}.${key}`;
      const allowed = opts.multiline ? 'only line feeds and tabs are allowed' : 'it must be one line of plain text';
      throw new DomainError(
        'INVALID_EVENT_DATA',
        `${p} must not contain ${found.codePoint} (${found.name}), found at character ${found.index + 1}: control and bidirectional-formatting characters can rewrite what terminals, reports and pages show (${allowed}); remove it and sign again.`,
        { path: p, character: found.codePoint },
      );
    }
    return s;
  }

  optionalString(key: string, opts: { max?: number } = {}): string | null {
    const v = this.value[key];
    if (v === undefined || v === null) {
      this.seen.add(key);
      return null;
    }
    return this.string(key, { max: opts.max });
  }

  number(key: string, opts: { min?: number; max?: number } = {}): number {
    const v = this.take(key);
    const p = `${this.path}.${key}`;
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(p, 'must be a number');
    const n = v as number;
    if (opts.min !== undefined && n < opts.min) fail(p, `must be at least ${opts.min}`);
    if (opts.max !== undefined && n > opts.max) fail(p, `must be at most ${opts.max}`);
    return n;
  }

  integer(key: string, opts: { min?: number; max?: number } = {}): number {
    const n = this.number(key, opts);
    if (!Number.isInteger(n)) fail(`${this.path}.${key}`, 'must be a whole number');
    return n;
  }

  optionalNumber(key: string, opts: { min?: number; max?: number } = {}): number | null {
    const v = this.value[key];
    if (v === undefined || v === null) {
      this.seen.add(key);
      return null;
    }
    return this.number(key, opts);
  }

  stringArray(key: string, opts: { min?: number; max?: number; pattern?: RegExp; hint?: string } = {}): string[] {
    const v = this.take(key);
    const p = `${this.path}.${key}`;
    if (!Array.isArray(v)) fail(p, 'must be an array');
    const items = v as unknown[];
    if (items.length < (opts.min ?? 0)) fail(p, `must have at least ${opts.min} item(s)`);
    if (items.length > (opts.max ?? 1000)) fail(p, `must have at most ${opts.max ?? 1000} items`);
    items.forEach((item, i) => {
      if (typeof item !== 'string' || item.length === 0 || item.length > 200) fail(`${p}[${i}]`, 'must be a non-empty string of at most 200 characters');
      if (opts.pattern && !opts.pattern.test(item as string)) fail(`${p}[${i}]`, opts.hint ?? `must match ${opts.pattern}`);
    });
    return items as string[];
  }

  boolean(key: string): boolean {
    const v = this.take(key);
    if (typeof v !== 'boolean') fail(`${this.path}.${key}`, 'must be true or false');
    return v as boolean;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T {
    const s = this.string(key);
    if (!(allowed as readonly string[]).includes(s)) fail(`${this.path}.${key}`, `must be one of ${allowed.join(', ')}`);
    return s as T;
  }

  date(key: string): string {
    const s = this.string(key, { pattern: /^\d{4}-\d{2}-\d{2}$/, hint: 'must be a date YYYY-MM-DD' });
    const d = new Date(`${s}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s || s.startsWith('0000')) fail(`${this.path}.${key}`, 'must be a real calendar date (years 0001–9999)');
    return s;
  }

  object(key: string): EventDataReader {
    return EventDataReader.of(this.take(key), `${this.path}.${key}`);
  }

  array(key: string, opts: { min?: number; max?: number } = {}): EventDataReader[] {
    const v = this.take(key);
    const p = `${this.path}.${key}`;
    if (!Array.isArray(v)) fail(p, 'must be an array');
    const items = v as Json[];
    if (items.length < (opts.min ?? 0)) fail(p, `must have at least ${opts.min} item(s)`);
    if (items.length > (opts.max ?? 1000)) fail(p, `must have at most ${opts.max ?? 1000} items`);
    return items.map((item, i) => EventDataReader.of(item, `${p}[${i}]`));
  }

  /** Call last: refuses fields the type does not define, so a signature never covers ignored data. */
  done(): void {
    const extra = Object.keys(this.value).filter((k) => !this.seen.has(k));
    if (extra.length > 0) fail(this.path, `has unknown field(s): ${extra.join(', ')}`);
  }
}

function fail(path: string, message: string): never {
  throw new DomainError('INVALID_EVENT_DATA', `${path} ${message}.`, { path });
}
