// The CLI's input files, read strictly: UTF-8 or refused, parsed as CSV by csv-parse (RFC 4180 quoting,
// any of CRLF, LF or CR line ends), and every record or problem tagged with the PHYSICAL line it is on
// in the file, counting comments and blank lines, so an operator can go straight to it in an editor.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { UsageError } from './args';

/** A file's text, refused (not patched with U+FFFD) when it is not UTF-8; a byte-order mark is dropped. */
export function readUtf8File(path: string): string {
  const bytes = readFileSync(path);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UsageError(`${path} is not UTF-8 text; save or export it as UTF-8 (plain text or CSV)`);
  }
}

export interface CsvRecord {
  /** Cells with the whitespace around them removed (csv-parse `trim`); quoted content is kept as written. */
  cells: string[];
  /** 1-based physical line the record starts on. */
  line: number;
  /** 1-based physical line it ends on (differs from `line` only when a quoted cell holds a line break). */
  lastLine: number;
}

export interface CsvProblem {
  line: number;
  message: string;
}

export interface CsvOptions {
  /** Lines whose first non-blank character is `#` are comments (a `#` later in a line is data). */
  comments: boolean;
  /** Skip blank (empty or whitespace-only) lines; otherwise each is a record with one empty cell. */
  skipBlankLines: boolean;
  /** Keep a `"` inside an unquoted cell as a character instead of refusing the line. */
  relaxQuotes: boolean;
}

const LINE_BREAK = /\r\n|\r|\n/g;

/** Byte offsets (UTF-8, as csv-parse counts them) at which each physical line starts. */
function lineStarts(bytes: Buffer): number[] {
  const starts = [0];
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) starts.push(i + 1);
    else if (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a) starts.push(i + 1);
  }
  return starts;
}

/** 1-based line holding byte `offset` (a line break belongs to the line it ends). */
function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

const breaksIn = (cells: string[]): number => cells.reduce((n, c) => n + (c.match(LINE_BREAK)?.length ?? 0), 0);

/**
 * Parses `text` into records, each with its physical line number. Malformed records (an unclosed or
 * misplaced quote) do not stop the parse: they come back as problems, so a caller can report every bad
 * line at once. Cell counts are not checked here; that is the caller's rule.
 */
export function csvRecords(text: string, options: CsvOptions): { records: CsvRecord[]; problems: CsvProblem[] } {
  const bytes = Buffer.from(text, 'utf8');
  const starts = lineStarts(bytes);
  const problems: CsvProblem[] = [];
  const errorLine = (e: unknown): number => {
    const at = (e as { bytes?: unknown }).bytes;
    const lines = (e as { lines?: unknown }).lines;
    return typeof at === 'number' ? lineOf(starts, Math.min(at, Math.max(bytes.length - 1, 0))) : typeof lines === 'number' ? lines : 1;
  };
  const quoteProblem = (e: unknown): CsvProblem => {
    const code = (e as { code?: unknown }).code;
    const message =
      code === 'CSV_QUOTE_NOT_CLOSED'
        ? 'a quoted cell is never closed; end it with a " (write "" for a quote inside it)'
        : code === 'INVALID_OPENING_QUOTE' || code === 'CSV_INVALID_CLOSING_QUOTE'
          ? 'a " stands inside a cell; quote the whole cell ("…") and write "" for a quote inside it'
          : `the line is not valid CSV (${(e as Error).message})`;
    return { line: errorLine(e), message };
  };
  let rows: Array<{ record: string[]; info: { bytes: number } }> = [];
  try {
    rows = parse(text, {
      info: true,
      bom: true,
      trim: true,
      relax_column_count: true,
      relax_quotes: options.relaxQuotes,
      skip_empty_lines: options.skipBlankLines,
      record_delimiter: ['\r\n', '\n', '\r'],
      ...(options.comments ? { comment: '#', comment_no_infix: true } : {}),
      skip_records_with_error: true,
      on_skip: (e) => {
        if (e) problems.push(quoteProblem(e));
      },
    }) as unknown as Array<{ record: string[]; info: { bytes: number } }>;
  } catch (e) {
    problems.push(quoteProblem(e));
  }
  const records = rows.map(({ record, info }): CsvRecord => {
    // info.bytes is where the record ends, past its line break; that break still belongs to its last line.
    let end = info.bytes;
    if (end > 0 && bytes[end - 1] === 0x0a) end -= end > 1 && bytes[end - 2] === 0x0d ? 2 : 1;
    else if (end > 0 && bytes[end - 1] === 0x0d) end -= 1;
    const lastLine = lineOf(starts, end);
    return { cells: record, line: lastLine - breaksIn(record), lastLine };
  });
  return { records, problems };
}

/** One CSV cell as RFC 4180 writes it: quoted (quotes doubled) only when it holds a comma, quote, line break or edge blank. */
export function csvCell(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
