// GS1 element strings, as a 2D scanner sends them or as printed under the code, read with the
// maintained parser gs1-barcode-parser-mod. The parser finds the AIs and their values; it checks no
// check digit, rolls month 13 or 30 February over into a later date, and resolves the century against
// the machine's clock, so the values are taken from each element's untouched `raw` text and checked in
// pack-scan.ts.
import { parseBarcode, type ParsedBarcode } from 'gs1-barcode-parser-mod';
import { SCAN_AGAIN, mergeElement, refusal, type PackAi, type PackElements, type ReadScan, type ScanRefusal } from './scan-types';

/** The AIM symbology identifiers of the GS1 carriers a pack code comes in. */
export const GS1_SYMBOLOGY_IDENTIFIERS: Readonly<Record<string, string>> = {
  ']d2': 'GS1 DataMatrix',
  ']Q3': 'GS1 QR Code',
  ']C1': 'GS1-128',
};

const PACK_AIS = new Set<string>(['01', '10', '17', '21']);

/** The parser's error, thrown as a bare string, as a sentence. */
function parserProblem(thrown: unknown): ScanRefusal {
  const reason = typeof thrown === 'string' ? thrown : thrown instanceof Error ? thrown.message : String(thrown);
  let what: string;
  if (/invalid AI|no valid AI|unrecognised AI/.test(reason)) {
    what = `The code contains an application identifier GS1 does not define (${reason})`;
  } else if (/truncated fixed length element/.test(reason)) {
    what = 'The code ends in the middle of a fixed-length element (a GTIN takes 14 digits, a date 6)';
  } else if (/in date/.test(reason)) {
    what = `A date in the code is not six digits (${reason})`;
  } else if (/bracketed AI/.test(reason)) {
    what = 'The bracketed AIs of the code do not match its contents';
  } else {
    what = `The code could not be read as GS1 data (${reason})`;
  }
  return refusal('INVALID_SCAN', `${what}; ${SCAN_AGAIN}.`);
}

/**
 * The pack AIs of a GS1 element string: `]d2`/`]Q3`/`]C1` prefix optional, AIs in any order, a group
 * separator (FNC1) after each variable-length element that is not last, or the bracketed form
 * `(01)…(17)…(10)…(21)…`. AIs other than 01, 10, 17 and 21 that GS1 defines are left aside; one it
 * does not define refuses the scan, as does one of the four repeated with a different value.
 */
export function readElementString(scanned: string): ReadScan | ScanRefusal {
  const prefix = scanned.slice(0, 3);
  const hasPrefix = prefix in GS1_SYMBOLOGY_IDENTIFIERS;
  // A leading group separator is the FNC1 that opens every GS1 symbol, which some scanners transmit.
  // The parser only drops it when nothing precedes it, and then still reads the symbology identifier
  // from the wrong place, so it is removed here, before and after the identifier alike.
  const data = (hasPrefix ? scanned.slice(3) : scanned).replace(/^\u001d+/, '');
  if (data.length === 0) {
    return refusal('INVALID_SCAN', `The scan holds no data${hasPrefix ? ` after the symbology identifier ${prefix}` : ''}; scan the pack's 2D code again.`);
  }
  let parsed: ParsedBarcode;
  try {
    parsed = parseBarcode(hasPrefix ? `${prefix}${data}` : data);
  } catch (thrown) {
    return parserProblem(thrown);
  }
  const elements: PackElements = {};
  for (const element of parsed.parsedCodeItems) {
    if (!PACK_AIS.has(element.ai)) continue;
    const contradiction = mergeElement(elements, element.ai as PackAi, element.raw);
    if (contradiction) return contradiction;
  }
  return { elements };
}
