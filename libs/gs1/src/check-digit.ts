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
