// One entry point for what a pharmacy terminal sends: the text its 2D scanner produced, or the four
// identifiers typed from the pack. The GS1 libraries find the elements (element-string.ts,
// digital-link.ts); the checks they skip are made here, the same for every source: the GTIN check
// digit, real dates with GS1's century window, serial and lot in character set 82 and at most 20
// long, the serial present, and no control character but the group separator.
import { gs1NumberProblem } from '../check-digit';
import { CSET82_CHAR_PATTERN } from '../serials';
import { readDigitalLink } from './digital-link';
import { GS1_SYMBOLOGY_IDENTIFIERS, readElementString } from './element-string';
import { gs1DateToIso, isoDateProblem, type Gs1DateResult } from './gs1-date';
import {
  SCAN_AGAIN,
  isRefusal,
  quote,
  refusal,
  type PackElements,
  type PackIdentifiers,
  type PackScan,
  type PackScanInput,
  type PackScanOptions,
  type PackScanSource,
  type ReadScan,
  type ScanRefusal,
} from './scan-types';

/** Far more than any pack code holds (a GS1 DataMatrix carries at most 2,335 characters). */
export const MAX_SCAN_LENGTH = 2048;

/** Symbology identifiers of plain (non-GS1) QR and DataMatrix codes: accepted only before a Digital Link URI. */
const PLAIN_SYMBOLOGY_IDENTIFIERS = new Set([']Q1', ']d1']);

/** C0 and C1 control characters and DEL, except the group separator U+001D. */
const CONTROL = /[\u0000-\u001c\u001e\u001f\u007f-\u009f]/;

/** Half of a UTF-16 surrogate pair without its other half: not text at all. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const URI_START = /^[A-Za-z][A-Za-z0-9+.-]*:/;

const C0_NAMES = [
  'NUL', 'SOH', 'STX', 'ETX', 'EOT', 'ENQ', 'ACK', 'BEL', 'BS', 'TAB', 'LF', 'VT', 'FF', 'CR', 'SO', 'SI',
  'DLE', 'DC1', 'DC2', 'DC3', 'DC4', 'NAK', 'SYN', 'ETB', 'CAN', 'EM', 'SUB', 'ESC', 'FS', 'GS', 'RS', 'US',
];

const codePoint = (char: string): string => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** One character, named so that a person can find it: a space, the control character U+0000 (NUL), “#”. */
function describe(char: string): string {
  const code = char.codePointAt(0)!;
  if (char === ' ') return 'a space';
  if (code >= 0xd800 && code <= 0xdfff) return `a broken character (${codePoint(char)})`;
  if (code < 0x20) return `the control character ${codePoint(char)} (${C0_NAMES[code]})`;
  if (code === 0x7f) return `the control character ${codePoint(char)} (DEL)`;
  if (code >= 0x80 && code <= 0x9f) return `the control character ${codePoint(char)}`;
  if (code < 0x7f) return `“${char}”`;
  return `“${char}” (${codePoint(char)})`;
}

const SCAN_THE_PACK = 'scan the 2D code on the pack (the one printed beside GTIN, SN, LOT and EXP), not a 1D barcode or a shipping label';

/**
 * Reads a pack scan and checks it: a GS1 element string (optionally after `]d2`, `]Q3` or `]C1`; AIs
 * 01, 17, 10 and 21 in any order; FNC1 as U+001D; or the bracketed form), a GS1 Digital Link URI
 * (canonical or the lenient forms labels carry), or the four fields. The pack's identifiers, or a
 * refusal with a stable code and a sentence the pharmacist can act on.
 */
export function parsePackScan(input: PackScanInput, options: PackScanOptions = {}): PackScan {
  const now = options.now ?? new Date();
  let read: ReadScan | ScanRefusal;
  let source: PackScanSource;
  if (typeof input === 'string') {
    [read, source] = readText(input);
  } else if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
    [read, source] = [readFields(input), 'fields'];
  } else {
    return { ok: false, ...refusal('INVALID_SCAN', `Nothing was scanned; ${SCAN_AGAIN}.`) };
  }
  if (isRefusal(read)) return { ok: false, ...read };
  const pack = checkIdentifiers(read.elements, source, now);
  if (isRefusalOf(pack)) return { ok: false, ...pack };
  const problem = read.verify?.(pack) ?? null;
  if (problem) return { ok: false, ...problem };
  return { ok: true, pack, source };
}

const isRefusalOf = (value: PackIdentifiers | ScanRefusal): value is ScanRefusal => 'code' in value;

function readText(text: string): [ReadScan | ScanRefusal, PackScanSource] {
  const elementString = 'element-string' as const;
  if (text.length === 0) return [refusal('INVALID_SCAN', "The scan is empty; scan the pack's 2D code again."), elementString];
  if (text.length > MAX_SCAN_LENGTH) {
    return [
      refusal('INVALID_SCAN', `The scan is ${text.length} characters long, far more than a pack code holds; scan the pack's 2D code again.`),
      elementString,
    ];
  }
  const control = CONTROL.exec(text);
  if (control) {
    return [refusal('INVALID_SCAN', `The scan contains ${describe(control[0])}, which no pack code carries; ${SCAN_AGAIN}.`), elementString];
  }
  const broken = LONE_SURROGATE.exec(text);
  if (broken) {
    return [refusal('INVALID_SCAN', `The scan contains ${describe(broken[0])}, which no pack code carries; ${SCAN_AGAIN}.`), elementString];
  }
  if (text.startsWith(']')) {
    const identifier = text.slice(0, 3);
    if (identifier in GS1_SYMBOLOGY_IDENTIFIERS) return [readElementString(text), elementString];
    const rest = text.slice(3);
    if (PLAIN_SYMBOLOGY_IDENTIFIERS.has(identifier) && URI_START.test(rest)) return [readLink(rest), 'digital-link'];
    return [
      refusal(
        'INVALID_SCAN',
        `The scan starts with the symbology identifier ${quote(identifier)}, which is not a GS1 pack code (those are ]d2 GS1 DataMatrix, ]Q3 GS1 QR Code and ]C1 GS1-128, or a GS1 Digital Link); ${SCAN_THE_PACK}.`,
      ),
      elementString,
    ];
  }
  if (URI_START.test(text)) return [readLink(text), 'digital-link'];
  if (/^[\d(\u001d]/.test(text)) return [readElementString(text), elementString];
  return [refusal('INVALID_SCAN', `The scan is neither a GS1 element string nor a GS1 Digital Link; ${SCAN_AGAIN}.`), elementString];
}

function readLink(uri: string): ReadScan | ScanRefusal {
  if (uri.includes('\u001d')) {
    return refusal('INVALID_SCAN', `The link contains ${describe('\u001d')}, which no web address carries; ${SCAN_AGAIN}.`);
  }
  return readDigitalLink(uri);
}

/** The typed fields; surrounding blanks are dropped, an empty lot or expiry is absent. */
function readFields(fields: Exclude<PackScanInput, string>): ReadScan | ScanRefusal {
  const { gtin, serial, lot, expiry } = fields as Record<string, unknown>;
  if (typeof gtin !== 'string' || gtin.trim() === '') {
    return refusal('INVALID_GTIN', 'No GTIN was given; type the GTIN printed on the pack (after GTIN or (01)).');
  }
  if (typeof serial !== 'string' || serial.trim() === '') {
    return refusal('INVALID_SERIAL', 'No serial number was given; type the serial number printed on the pack (after SN or (21)).');
  }
  if (lot !== undefined && lot !== null && typeof lot !== 'string') {
    return refusal('INVALID_LOT', 'The lot must be text; type the lot printed on the pack (after LOT or (10)).');
  }
  if (expiry !== undefined && expiry !== null && typeof expiry !== 'string') {
    return refusal('INVALID_EXPIRY', 'The expiry must be text, YYYY-MM-DD or YYMMDD; type the date printed on the pack.');
  }
  const elements: PackElements = { '01': gtin.trim(), '21': serial.trim() };
  if (lot && lot.trim() !== '') elements['10'] = lot.trim();
  if (expiry && expiry.trim() !== '') elements['17'] = expiry.trim();
  return { elements };
}

/** The checks every source shares; the identifiers, or the first problem found. */
function checkIdentifiers(elements: PackElements, source: PackScanSource, now: Date): PackIdentifiers | ScanRefusal {
  const { '01': gtinText, '21': serial, '10': lot, '17': expiryText } = elements;
  if (gtinText === undefined) {
    return refusal('INVALID_SCAN', `The code carries no GTIN (AI 01), so it does not name a product; ${SCAN_THE_PACK}.`);
  }
  if (serial === undefined) {
    return refusal('INVALID_SCAN', `The code has no serial number (AI 21): this is not a serialised pack code; ${SCAN_THE_PACK}.`);
  }
  const gtin = checkGtin(gtinText);
  if (typeof gtin !== 'string') return gtin;
  const serialProblem = cset82Problem('serial number', serial);
  if (serialProblem) return refusal('INVALID_SERIAL', `${serialProblem}; scan again or type the serial number printed on the pack.`);
  if (lot !== undefined) {
    const lotProblem = cset82Problem('lot', lot);
    if (lotProblem) return refusal('INVALID_LOT', `${lotProblem}; scan again or type the lot printed on the pack.`);
  }
  let expiry: string | null = null;
  if (expiryText !== undefined) {
    const result = readExpiry(expiryText, source, now);
    if (!result.ok) {
      const shown = /^[\d-]+$/.test(expiryText) ? expiryText : quote(expiryText);
      return refusal('INVALID_EXPIRY', `The expiry ${shown} is not a date (${result.why}); scan again or type the date printed on the pack.`);
    }
    expiry = result.iso;
  }
  return { gtin, serial, lot: lot ?? null, expiry };
}

/** AI 17 is YYMMDD; the typed fields may also give the date as YYYY-MM-DD. */
function readExpiry(text: string, source: PackScanSource, now: Date): Gs1DateResult {
  if (source !== 'fields' || !/^\d{4}-/.test(text)) return gs1DateToIso(text, now);
  const why = isoDateProblem(text);
  return why === null ? { ok: true, iso: text } : { ok: false, why };
}

/** A GTIN-8/12/13/14 with a valid check digit, as a GTIN-14; or why not, naming the right check digit. */
function checkGtin(text: string): string | ScanRefusal {
  const action = 'scan again or type the GTIN printed on the pack';
  if (/^\d{8}$|^\d{12,14}$/.test(text)) {
    const problem = gs1NumberProblem('GTIN', text, text.length);
    return problem ? refusal('INVALID_GTIN', `The ${problem.replace(/\.$/, '')}; ${action}.`) : text.padStart(14, '0');
  }
  if (/^\d+$/.test(text)) {
    return refusal('INVALID_GTIN', `The GTIN ${text} has ${text.length} digits, where a GTIN has 14 (or 8, 12 or 13 without the leading zeros); ${action}.`);
  }
  const other = [...text].find((char) => !/\d/.test(char))!;
  return refusal('INVALID_GTIN', `The GTIN ${quote(text)} contains ${describe(other)}, where a GTIN has digits only; ${action}.`);
}

/** Why `value` is not a valid AI (10) lot or AI (21) serial (1–20 characters of set 82), or null. */
function cset82Problem(what: 'serial number' | 'lot', value: string): string | null {
  if (value === '') return `The ${what} is empty`;
  const chars = [...value];
  const disallowed = chars.find((char) => !CSET82_CHAR_PATTERN.test(char));
  if (disallowed !== undefined) return `The ${what} ${quote(value)} contains ${describe(disallowed)}, which a GS1 ${what} cannot hold`;
  if (chars.length > 20) return `The ${what} ${quote(value)} is ${chars.length} characters long, where GS1 allows at most 20`;
  return null;
}
