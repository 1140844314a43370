// GS1 mod-10 check digits (GLN, GTIN, SSCC all use the same scheme).

export function gs1CheckDigit(digitsWithoutCheck: string): number {
  let sum = 0;
  for (let i = 0; i < digitsWithoutCheck.length; i++) {
    // weights 3,1,3,1… counted from the rightmost digit
    const digit = digitsWithoutCheck.charCodeAt(digitsWithoutCheck.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidGs1Number(value: string, length: number): boolean {
  if (value.length !== length || !/^\d+$/.test(value)) return false;
  return gs1CheckDigit(value.slice(0, -1)) === Number(value[value.length - 1]);
}

export const isValidGln = (gln: string): boolean => isValidGs1Number(gln, 13);

/**
 * Why `value` is not a valid `length`-digit GS1 number, as a sentence a person can act on — naming the
 * check digit it should end in when only that is wrong — or null when it is valid.
 */
export function gs1NumberProblem(kind: string, value: string, length: number): string | null {
  if (!/^\d+$/.test(value)) return `${kind} ${value} must consist of ${length} digits only.`;
  if (value.length !== length) return `${kind} ${value} has ${value.length} digits; it must have ${length}.`;
  const body = value.slice(0, -1);
  const expected = gs1CheckDigit(body);
  const given = Number(value[length - 1]);
  return given === expected ? null : `${kind} ${value} ends in ${given}, but the check digit should be ${expected} (${body}${expected}).`;
}

/** Why a GLN is invalid (naming the right check digit when only that is wrong), or null. */
export const glnProblem = (gln: string): string | null => gs1NumberProblem('GLN', gln, 13);

/** Completes a 12-digit GLN body with its check digit. */
export const withGlnCheckDigit = (body12: string): string => `${body12}${gs1CheckDigit(body12)}`;

/** A GTIN-8/12/13/14 with a valid check digit, as a GTIN-14 (left-padded with zeros); null when invalid. */
export function normalizeGtin(gtin: string): string | null {
  if (!/^\d{8}$|^\d{12,14}$/.test(gtin)) return null;
  const gtin14 = gtin.padStart(14, '0');
  return isValidGs1Number(gtin14, 14) ? gtin14 : null;
}

/**
 * Why `gtin` is not a valid GTIN-14 (what the ledger stores), or null. A valid GTIN-8, -12 or -13 is told
 * its 14-digit form; a wrong check digit is told the right one.
 */
export function gtin14Problem(gtin: string): string | null {
  if (/^\d{8}$|^\d{12,13}$/.test(gtin)) {
    return gs1NumberProblem('GTIN', gtin, gtin.length) ?? `GTIN ${gtin} must be given as 14 digits, padded with leading zeros: ${gtin.padStart(14, '0')}.`;
  }
  return gs1NumberProblem('GTIN', gtin, 14);
}

export const isValidSscc = (sscc: string): boolean => isValidGs1Number(sscc, 18);

/** Why an SSCC is invalid (naming the right check digit when only that is wrong), or null. */
export const ssccProblem = (sscc: string): string | null => gs1NumberProblem('SSCC', sscc, 18);

/** Completes an SSCC body (extension digit + company prefix + serial reference, 17 digits). */
export const withSsccCheckDigit = (body17: string): string => `${body17}${gs1CheckDigit(body17)}`;
