// The shapes of a pack scan, and the pieces the element-string and Digital Link readers share.

/** What identifies one pack: GS1 AIs (01), (21), (10) and (17). */
export interface PackIdentifiers {
  /** GTIN-14 with a valid check digit. */
  gtin: string;
  /** AI (21): 1–20 characters of GS1 AI encodable character set 82. */
  serial: string;
  /** AI (10): 1–20 characters of GS1 AI encodable character set 82, or null when the code has none. */
  lot: string | null;
  /** AI (17) as YYYY-MM-DD (a real date; DD = 00 read as the month's last day), or null when absent. */
  expiry: string | null;
}

/**
 * What a pharmacy terminal sends: the text its 2D scanner produced (a GS1 element string, with or
 * without a symbology identifier, in scanned or bracketed form, or a GS1 Digital Link URI), or the
 * four fields typed from the pack. In the fields, `gtin` may be a GTIN-8/12/13/14 and `expiry` YYMMDD
 * (as in AI 17) or YYYY-MM-DD; an empty lot or expiry counts as absent.
 */
export type PackScanInput = string | { gtin: string; serial: string; lot?: string | null; expiry?: string | null };

export type ScanRefusalCode = 'INVALID_SCAN' | 'INVALID_GTIN' | 'INVALID_SERIAL' | 'INVALID_LOT' | 'INVALID_EXPIRY';

/** Why a scan was refused: a stable code and a sentence the pharmacist can act on. */
export type ScanRefusal = { code: ScanRefusalCode; message: string };

export type PackScanSource = 'element-string' | 'digital-link' | 'fields';

export type PackScan = { ok: true; pack: PackIdentifiers; source: PackScanSource } | ({ ok: false } & ScanRefusal);

export interface PackScanOptions {
  /** The clock for GS1's two-digit-year window (General Specifications §7.12); the current time by default. */
  now?: Date;
}

/** The AIs a pack scan reads; every other AI a code may carry (e.g. a national reimbursement number) is left aside. */
export type PackAi = '01' | '10' | '17' | '21';

/** The raw values a reader found, before the checks every source shares. */
export type PackElements = Partial<Record<PackAi, string>>;

/** What a reader returns: the elements, and any check of its own to run once they passed the shared ones. */
export interface ReadScan {
  elements: PackElements;
  /** Checks that need valid identifiers (the Digital Link grammar); null when passed. */
  verify?: (pack: PackIdentifiers) => ScanRefusal | null;
}

export const refusal = (code: ScanRefusalCode, message: string): ScanRefusal => ({ code, message });

export const isRefusal = (value: ReadScan | ScanRefusal): value is ScanRefusal => 'code' in value;

/** The end of most INVALID_SCAN sentences: what to do instead. */
export const SCAN_AGAIN = 'scan again, or type the GTIN, serial number, lot and expiry printed on the pack';

const AI_PLURALS: Record<PackAi, string> = { '01': 'GTINs', '10': 'lots', '17': 'expiry dates', '21': 'serial numbers' };

/** A value quoted for a message: shortened when long, so one odd scan cannot flood a screen. */
export function quote(value: string): string {
  const chars = [...value];
  const shown = chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : value;
  // Control characters and halves of surrogate pairs (only typed fields can still hold them) are shown
  // as escapes, not sent to a screen.
  return `“${shown.replace(/[\u0000-\u001f\u007f-\u009f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)}”`;
}

/**
 * Records `value` for `ai`; the same AI twice with the same value is harmless (a lot both in a Digital
 * Link's path and its query), twice with different values the code cannot name one pack.
 */
export function mergeElement(elements: PackElements, ai: PackAi, value: string): ScanRefusal | null {
  const earlier = elements[ai];
  if (earlier === undefined) {
    elements[ai] = value;
    return null;
  }
  if (earlier === value) return null;
  return refusal(
    'INVALID_SCAN',
    `The code carries two different ${AI_PLURALS[ai]} (AI ${ai}: ${quote(earlier)} and ${quote(value)}), so it cannot name one pack; scan one pack's code at a time, and if this repeats set the pack aside.`,
  );
}
