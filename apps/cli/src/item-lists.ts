// Lists of serials or item ids, given inline (`--items a,b`) or in a file (`--items-file F`, e.g. what
// `commission --out` wrote). Entries are separated by commas and line breaks only — never by spaces, so
// "ABC 1" stays one entry and the server judges it — and each is trimmed. The list is read as CSV, so an
// entry that itself contains a comma (a GS1 serial may) is written quoted: "AB,C". Empty entries are
// refused, except at the very end of the input (a trailing comma or newline).
import { Flags, UsageError } from './args';
import { csvCell, csvRecords, readUtf8File } from './csv-records';

interface Entry {
  value: string;
  line: number;
}

/** Parses a list; `source` names it in messages (`--items` or the file's path), `inFile` adds line numbers. */
export function parseList(text: string, source: string, inFile: boolean): string[] {
  const { records, problems } = csvRecords(text, { comments: false, skipBlankLines: false, relaxQuotes: true });
  const entries: Entry[] = records.flatMap((r) => r.cells.map((value) => ({ value, line: r.line })));
  while (entries.length > 0 && entries[entries.length - 1].value === '') entries.pop();
  const where = (line: number) => (inFile ? `${source} line ${line}` : source);
  const messages = problems.map((p) => `${where(p.line)}: ${p.message}`);
  entries.forEach((e, i) => {
    if (e.value === '') {
      messages.push(`${where(e.line)}: entry ${i + 1} is empty; separate entries with one comma or one line break, with nothing left out between them`);
    }
  });
  if (messages.length > 0) throw new UsageError(messages.join('\n'));
  if (entries.length === 0) throw new UsageError(`${source} lists nothing; give at least one entry`);
  return entries.map((e) => e.value);
}

/**
 * The list flag `--NAME a,b` or `--NAME-file FILE`: exactly one of the two (a silently ignored one would
 * act on different goods than the operator believes).
 */
export function listFlag(f: Flags, name: string): string[] {
  const file = f[`${name}-file`];
  const inline = f[name];
  if (file !== undefined && inline !== undefined) throw new UsageError(`give --${name} or --${name}-file, not both`);
  if (file !== undefined) {
    if (file === '') throw new UsageError(`--${name}-file needs a file name`);
    return parseList(readUtf8File(file), file, true);
  }
  if (inline === undefined || inline === '') throw new UsageError(`--${name} (or --${name}-file) is required`);
  return parseList(inline, `--${name}`, false);
}

/** An optional list flag without a file form (`--ingredient-lots a,b`): empty when not given. */
export function optionalListFlag(f: Flags, name: string): string[] {
  const inline = f[name];
  return inline === undefined ? [] : parseList(inline, `--${name}`, false);
}

/** A list as a file that `parseList` (so every `--…-file` flag) reads back exactly: one entry a line. */
export function formatList(entries: readonly string[]): string {
  return entries.map((e) => `${csvCell(e)}\n`).join('');
}
