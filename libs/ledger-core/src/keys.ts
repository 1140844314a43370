// Ed25519 keys, signing and a portable (browser-safe) signature verifier, all on @noble/curves.
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE } from '@noble/curves/utils.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { bytesEqual, concatBytes, toHex } from './encoding';
import { LedgerCoreError } from './errors';
import { sha256 } from './hash';

export interface KeyPair {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
}

export interface SignatureVerifier {
  /** Must never throw: anything malformed is simply not a valid signature. */
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
}

const KEY_BYTES = 32;
const SIGNATURE_BYTES = 64;
const Point = ed25519.Point;
type EdPoint = ReturnType<typeof Point.fromBytes>;

function assertSecretKey(secretKey: Uint8Array): void {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== KEY_BYTES) {
    throw new LedgerCoreError('BAD_SECRET_KEY', `An Ed25519 secret key must be ${KEY_BYTES} bytes.`);
  }
}

export function generateKeyPair(): KeyPair {
  const secretKey = ed25519.utils.randomSecretKey();
  return { secretKey, publicKey: ed25519.getPublicKey(secretKey) };
}

export function publicKeyFromSecret(secretKey: Uint8Array): Uint8Array {
  assertSecretKey(secretKey);
  return ed25519.getPublicKey(secretKey);
}

/** Deterministic key id: the same public key always gets the same kid, everywhere. */
export function keyIdOf(publicKey: Uint8Array): string {
  return 'ed25519:' + toHex(sha256(publicKey)).slice(0, 32);
}

export function signMessage(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
  assertSecretKey(secretKey);
  return ed25519.sign(message, secretKey);
}

/**
 * Strict RFC 8032 decoding (y < p, no "negative zero" x), and small-order points refused: a
 * small-order key lets one signature verify for many messages, and OpenSSL would judge such keys
 * differently from noble (see verifier-agreement.spec.ts).
 */
function decodePublicKey(publicKey: Uint8Array): EdPoint | null {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== KEY_BYTES) return null;
  try {
    const point = Point.fromBytes(publicKey, false);
    return point.isSmallOrder() ? null : point;
  } catch {
    return null;
  }
}

export function isValidPublicKey(publicKey: Uint8Array): boolean {
  return decodePublicKey(publicKey) !== null;
}

/**
 * Verification with the cofactorless equation R == [S]B - [k]A compared byte for byte, exactly
 * as OpenSSL (and so node:crypto) does it. noble's own ed25519.verify checks the cofactored
 * equation [8]R == [8]([S]B - [k]A), which also accepts an R carrying a small-order component
 * that OpenSSL refuses; a ledger needs every verifier to give the same verdict on the same bytes,
 * so the stricter (cofactorless) rule is used here with noble's point arithmetic.
 */
function verifyStrict(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (!(signature instanceof Uint8Array) || signature.length !== SIGNATURE_BYTES) return false;
  if (!(message instanceof Uint8Array)) return false;
  const A = decodePublicKey(publicKey);
  if (A === null) return false;
  const r = signature.subarray(0, 32);
  const s = bytesToNumberLE(signature.subarray(32, 64));
  // RFC 8032 §5.1.7: S must be reduced, otherwise (R, S + L) would be a second valid signature.
  if (s >= Point.Fn.ORDER) return false;
  const k = Point.Fn.create(bytesToNumberLE(sha512(concatBytes(r, publicKey, message))));
  const expectedR = Point.BASE.multiplyUnsafe(s).subtract(A.multiplyUnsafe(k));
  return bytesEqual(expectedR.toBytes(), r);
}

export const nobleVerifier: SignatureVerifier = {
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
    try {
      return verifyStrict(signature, message, publicKey);
    } catch {
      return false;
    }
  },
};
