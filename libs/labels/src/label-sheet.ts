// A printable sheet of every label of a batch: one HTML page of inline SVG labels in a print-friendly grid
// (A4, 4 × 5 labels a page, a CSS page break after each page), produced one printed page (20 labels) at a
// time from keyset pages of labels, so that a 100,000-pack batch never sits in memory: the caller pulls
// chunks (Readable.from), and nothing more is rendered until the consumer asks for more. Nest-free.
import { renderLabelSvg, type LabelContent } from './label-render';

/** Labels on one printed A4 page (4 columns × 5 rows, each ~48 × 56 mm). */
export const LABELS_PER_PRINTED_PAGE = 20;

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** What the sheet's header names: the batch, and how many labels follow. */
export interface SheetHeading {
  gtin: string;
  lot: string;
  expiresOn: string;
  total: number;
}

function head(h: SheetHeading): string {
  const title = `Labels GTIN ${h.gtin} LOT ${h.lot}`;
  return (
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>` +
    '@page{size:A4;margin:10mm}body{margin:0;font-family:sans-serif}' +
    'header{font-size:10pt;margin-bottom:4mm}' +
    '.page{display:grid;grid-template-columns:repeat(4,1fr);gap:4mm;break-after:page;page-break-after:always}' +
    '.page:last-of-type{break-after:auto;page-break-after:auto}' +
    '.pack-label{width:100%;height:auto;break-inside:avoid}' +
    '@media print{header{display:none}}' +
    `</style></head><body><header>${escapeHtml(title)} · EXP ${escapeHtml(h.expiresOn)} · ${h.total} label(s)</header>\n`
  );
}

/**
 * The sheet as UTF-8 text chunks: the head, then one chunk per printed page of labels (20 labels, ~100 KB,
 * its `<div class="page">` opened and closed), then the foot. `pages` yields the batch's labels in print
 * order, a keyset page at a time; `baseUrl` is the platform's public base URL of the links. A label is
 * rendered only when the consumer asks for the chunk that holds it.
 */
export async function* labelSheetChunks(baseUrl: string, heading: SheetHeading, pages: AsyncIterable<LabelContent[]>): AsyncGenerator<string> {
  yield head(heading);
  let printed: string[] = [];
  for await (const page of pages) {
    for (const label of page) {
      printed.push(await renderLabelSvg(baseUrl, label));
      if (printed.length === LABELS_PER_PRINTED_PAGE) {
        yield `<div class="page">${printed.join('\n')}</div>\n`;
        printed = [];
      }
    }
  }
  yield `${printed.length ? `<div class="page">${printed.join('\n')}</div>\n` : ''}</body></html>\n`;
}
