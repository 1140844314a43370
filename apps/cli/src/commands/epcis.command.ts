// `cli epcis import DOC`: a partner system's EPCIS 2.0 document as signed PharmaTrace events, all or nothing
// (docs/epcis.md "Import"). Refusals are listed by event index; exit 1, nothing submitted. Bad usage: exit 2.
import { readFileSync, statSync } from 'node:fs';
import { EpcisImportRefusal, importEpcisText, MAX_EPCIS_IMPORT_BYTES } from '@pharmatrace/sdk';
import { UsageError } from '../args';
import { clientOf, CliRefusal, parseOptions } from '../command-options';

export const EPCIS_USAGE = '  epcis import DOC --server URL --key FILE [--dry-run] [--json]';

/** `#<index> <eventType> <bizStep>: <reason>` (index −1 is the document itself). */
export const refusalLine = (r: EpcisImportRefusal): string =>
  r.index < 0 ? `document: ${r.code}: ${r.reason}` : `#${r.index} ${r.eventType} ${r.bizStep || '(no bizStep)'}: ${r.code}: ${r.reason}`;

/** `cli epcis import DOC --server URL --key FILE [--dry-run] [--json]` */
export async function epcisCommand(argv: string[]): Promise<void> {
  const [sub, doc, ...rest] = argv;
  if (sub !== 'import') throw new UsageError(sub ? `unknown epcis subcommand ${sub}` : 'epcis needs a subcommand: import');
  if (!doc || doc.startsWith('--')) throw new UsageError('epcis import needs the path of the EPCIS 2.0 document (JSON or JSON-LD)');
  const o = parseOptions(rest, { strings: ['server', 'key'], switches: ['dry-run'] });
  const client = clientOf(o.f);
  let size: number;
  try {
    size = statSync(doc).size;
  } catch {
    throw new UsageError(`${doc}: no such file`);
  }
  if (size > MAX_EPCIS_IMPORT_BYTES) throw new CliRefusal('EPCIS_TOO_LARGE', `${doc} is ${size} bytes; an import reads at most ${MAX_EPCIS_IMPORT_BYTES} bytes. Split the document.`);
  const dryRun = o.switches.has('dry-run');
  const result = await importEpcisText(client, readFileSync(doc, 'utf8'), { dryRun });
  if (!result.ok) {
    if (o.json) console.log(JSON.stringify({ imported: false, refusals: result.refusals }));
    else for (const r of result.refusals) console.log(refusalLine(r));
    throw new CliRefusal('EPCIS_REFUSED', `${result.refusals.length} refusal(s); nothing was submitted.`);
  }
  if (o.json) {
    console.log(JSON.stringify({ imported: !dryRun, dryRun, epcisEvents: result.epcisEvents, pharmaTraceEvents: result.signed.length, byType: result.byType, receipts: result.receipts }));
    return;
  }
  const types = Object.entries(result.byType).map(([t, n]) => `${n} ${t}`).join(', ');
  console.log(`${result.epcisEvents} EPCIS events → ${result.signed.length} PharmaTrace events (${types})${dryRun ? '; dry run: nothing submitted' : '; submitted atomically'}.`);
}
