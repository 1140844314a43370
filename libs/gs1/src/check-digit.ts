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

/** Completes a 12-digit GLN body with its check digit. */
export const withGlnCheckDigit = (body12: string): string => `${body12}${gs1CheckDigit(body12)}`;

/** A GTIN-8/12/13/14 with a valid check digit, as a GTIN-14 (left-padded with zeros); null when invalid. */
export function normalizeGtin(gtin: string): string | null {
  if (!/^\d{8}$|^\d{12,14}$/.test(gtin)) return null;
  const gtin14 = gtin.padStart(14, '0');
  return isValidGs1Number(gtin14, 14) ? gtin14 : null;
}

export const isValidSscc = (sscc: string): boolean => isValidGs1Number(sscc, 18);

/** Completes an SSCC body (extension digit + company prefix + serial reference, 17 digits). */
export const withSsccCheckDigit = (body17: string): string => `${body17}${gs1CheckDigit(body17)}`;
