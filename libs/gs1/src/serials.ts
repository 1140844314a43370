// Serial numbers for packs (GS1 AI 21): unpredictable, so a counterfeiter cannot guess a valid one.

/**
 * One character of the GS1 "AI encodable character set 82" (GS1 General Specifications, figure 7.11-1):
 * digits, upper- and lower-case letters and ! " % & ' ( ) * + , - . / : ; < = > ? _ — the characters AI (10)
 * lot and AI (21) serial may hold.
 */
const CSET82_CHARACTER = `[!"%&'()*+,\\-./0-9:;<=>?A-Z_a-z]`;

/** A character of GS1 AI encodable character set 82. */
export const CSET82_CHAR_PATTERN = new RegExp(`^${CSET82_CHARACTER}$`);

/** GS1 AI (21) allows up to 20 characters of the "AI encodable character set 82". */
export const SERIAL_PATTERN = new RegExp(`^${CSET82_CHARACTER}{1,20}$`);

// Digits and upper-case letters without the look-alikes 0/O and 1/I: easy to read off a label.
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** `count` distinct random serials of `length` characters (32^12 ≈ 1.2·10^18 possibilities by default). */
export function generateSerials(count: number, length = 12): string[] {
  const out = new Set<string>();
  const bytes = new Uint8Array(length);
  while (out.size < count) {
    globalThis.crypto.getRandomValues(bytes);
    let s = '';
    for (const b of bytes) s += ALPHABET[b & 31];
    out.add(s);
  }
  return [...out];
}
