// Event types, asset ids and payloads (data version 1) of prescriptions, and the rules from practice that
// depend on the data alone. Framework-free: the SDK builds these payloads, the server checks them, and
// the audit replays them with one definition (docs/prescriptions.md).

export const PrescriptionEventTypes = {
  issued: 'prescription.issued',
  cancelled: 'prescription.cancelled',
} as const;

/** US DEA schedules a prescription may carry (schedule I has no accepted medical use: never prescribed). */
export const PRESCRIPTION_CONTROLLED_CLASSES = ['none', 'II', 'III', 'IV', 'V'] as const;
export type PrescriptionControlledClass = (typeof PRESCRIPTION_CONTROLLED_CLASSES)[number];

/** The product catalogue writes the same schedules with a C prefix (`CII`); `CI` is never prescribable. */
export const productClassOf = (c: PrescriptionControlledClass): string => (c === 'none' ? 'none' : `C${c}`);

/** Stored states; `expired` is not stored but reported once `validUntil` has passed (see prescriptionState). */
export const PRESCRIPTION_STATES = ['active', 'cancelled', 'exhausted'] as const;
export type StoredPrescriptionState = (typeof PRESCRIPTION_STATES)[number];
export type PrescriptionState = StoredPrescriptionState | 'expired';

/** A prescription's id: client-chosen (a UUIDv7 from the SDK), 8–80 characters. */
export const PRESCRIPTION_ID_PATTERN = /^[A-Za-z0-9._-]{8,80}$/;
/** A patient pseudonym: HMAC-SHA-256 (hex, lowercase) computed by the prescriber; never a name or national id. */
export const PATIENT_PSEUDONYM_PATTERN = /^[0-9a-f]{64}$/;

export const MAX_PRESCRIPTION_QUANTITY = 100;
export const MAX_PRESCRIPTION_REFILLS = 11;
/** Classes III–V: at most 5 refills, filled within 6 months of issue (21 CFR 1306.22(a)). */
export const MAX_REFILLS_CLASS_III_TO_V = 5;
export const MONTHS_VALID_CLASS_III_TO_V = 6;
/** Any prescription: valid for at most a year (from validFrom, and from its issue). */
export const MONTHS_VALID_AT_MOST = 12;

export const prescriptionAssetId = (id: string): string => `prescription:${id}`;

export type PrescribedProduct = { gtin: string } | { activeIngredient: string; strength: string; form: string };

export type PrescriptionIssuedData = {
  v: 1;
  /** Client-chosen id; the event's one asset is `prescription:<id>`, created (prev null). */
  id: string;
  /** 64 lowercase hex characters: HMAC-SHA-256 of the normalised national patient id with the prescriber's secret. */
  patient: string;
  product: PrescribedProduct;
  /** Packs per fill, 1–100. */
  quantity: number;
  /** Further fills after the first, 0–11. */
  refills: number;
  validFrom: string;
  validUntil: string;
  controlledClass: PrescriptionControlledClass;
};

export type PrescriptionCancelledData = { v: 1; id: string; reason: string };

/** Packs a prescription allows over all its fills. */
export const totalPacks = (quantity: number, refills: number): number => quantity * (1 + refills);

/** The state a reader is told: a stored active prescription past its validUntil is `expired`. */
export function prescriptionState(stored: StoredPrescriptionState, validUntil: string, today: string): PrescriptionState {
  return stored === 'active' && validUntil < today ? 'expired' : stored;
}

/** A calendar date (YYYY-MM-DD) plus whole months, clamped to the month's end (2026-08-31 + 6 = 2027-02-28). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = total % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const out = new Date(Date.UTC(year, month, Math.min(d, last)));
  out.setUTCFullYear(year); // years below 100 must not be read as 19xx
  return out.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const out = new Date(`${date}T00:00:00Z`);
  out.setUTCDate(out.getUTCDate() + days);
  return out.toISOString().slice(0, 10);
}

/** The rules from practice that depend on the data alone; each problem has its own stable code. */
export type PrescriptionProblem = { code: 'PRESCRIPTION_REFILLS_NOT_ALLOWED' | 'PRESCRIPTION_VALIDITY_INVALID'; message: string };

/**
 * Checks refills and the validity window against the controlled class and the issue date (the UTC date of
 * the event's signed `at`):
 * - class II: no refills (21 CFR 1306.12(a));
 * - classes III–V: at most 5 refills, and validUntil at most 6 months after issue (21 CFR 1306.22(a));
 * - every prescription: validUntil ≥ validFrom, validFrom no earlier than the day before issue, validUntil
 *   no earlier than the issue date, and at most one year from validFrom and from the issue date.
 */
export function prescriptionProblem(data: Pick<PrescriptionIssuedData, 'refills' | 'validFrom' | 'validUntil' | 'controlledClass'>, issuedOn: string): PrescriptionProblem | null {
  const { refills, validFrom, validUntil, controlledClass: c } = data;
  if (c === 'II' && refills > 0) {
    return { code: 'PRESCRIPTION_REFILLS_NOT_ALLOWED', message: `A class II prescription cannot be refilled (21 CFR 1306.12); it asks for ${refills} refill(s). Issue it with refills 0, and a new prescription for a further fill.` };
  }
  if (c !== 'none' && c !== 'II' && refills > MAX_REFILLS_CLASS_III_TO_V) {
    return {
      code: 'PRESCRIPTION_REFILLS_NOT_ALLOWED',
      message: `A class ${c} prescription may be refilled at most ${MAX_REFILLS_CLASS_III_TO_V} times (21 CFR 1306.22); it asks for ${refills}. Issue it with at most ${MAX_REFILLS_CLASS_III_TO_V} refills.`,
    };
  }
  const invalid = (message: string): PrescriptionProblem => ({ code: 'PRESCRIPTION_VALIDITY_INVALID', message });
  if (validUntil < validFrom) return invalid(`validUntil ${validUntil} is before validFrom ${validFrom}; give the first and last day it may be dispensed.`);
  const earliest = addDays(issuedOn, -1);
  if (validFrom < earliest) return invalid(`validFrom ${validFrom} is more than a day before the prescription is issued (${issuedOn}); it may start on ${earliest} at the earliest.`);
  if (validUntil < issuedOn) return invalid(`validUntil ${validUntil} is before the prescription is issued (${issuedOn}): it would be expired from the start.`);
  if (c !== 'none' && c !== 'II') {
    const limit = addMonths(issuedOn, MONTHS_VALID_CLASS_III_TO_V);
    if (validUntil > limit) {
      return invalid(`A class ${c} prescription cannot be filled more than ${MONTHS_VALID_CLASS_III_TO_V} months after its issue (21 CFR 1306.22): validUntil ${validUntil} is after ${limit}.`);
    }
  }
  const yearFromStart = addMonths(validFrom, MONTHS_VALID_AT_MOST);
  if (validUntil > yearFromStart) return invalid(`A prescription is valid for at most one year: validUntil ${validUntil} is after ${yearFromStart}, a year from validFrom ${validFrom}.`);
  const yearFromIssue = addMonths(issuedOn, MONTHS_VALID_AT_MOST);
  if (validUntil > yearFromIssue) return invalid(`A prescription is valid for at most one year from its issue: validUntil ${validUntil} is after ${yearFromIssue}.`);
  return null;
}

/**
 * How a product description is compared with the catalogue: trimmed, inner whitespace collapsed to one
 * space, case-insensitive (the same as `lower(regexp_replace(btrim(x), '\s+', ' ', 'g'))` in SQL).
 */
export const normaliseDescription = (s: string): string => s.trim().replace(/\s+/g, ' ').toLowerCase();
