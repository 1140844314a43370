import { concatBytes, fromBase64Url, fromHex, utf8 } from './encoding';
import { LedgerCoreError } from './errors';
import { HASH_HEX_PATTERN } from './validation';

/**
 * Builds `context ‖ 0x00 ‖ hash bytes`. The context makes a signature valid for one purpose only:
 * an event signature can never pass as a block signature (or anything else) made with the same key.
 */
export function domainSeparatedMessage(context: string, hashHex: string): Uint8Array {
  if (typeof hashHex !== 'string' || !HASH_HEX_PATTERN.test(hashHex)) {
    throw new LedgerCoreError('BAD_HASH', 'A hash to sign must be 64 lowercase hex digits (SHA-256).');
  }
  return concatBytes(utf8(context), new Uint8Array([0]), fromHex(hashHex));
}

export const SIGNATURE_BYTES = 64;

/** The signature bytes behind a base64url `sig`, or null when it is not one. */
export function decodeSignature(sig: unknown): Uint8Array | null {
  if (typeof sig !== 'string') return null;
  try {
    const bytes = fromBase64Url(sig);
    return bytes.length === SIGNATURE_BYTES ? bytes : null;
  } catch {
    return null;
  }
}
