// Server hot-path Ed25519 verifier on node:crypto (OpenSSL), ~13x faster than pure JS.
// Node-only by design: it is deliberately not re-exported from index.ts; import it as
// '@pharmatrace/ledger-core/node-crypto-verifier'.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { toHex } from './encoding';
import { isValidPublicKey, type SignatureVerifier } from './keys';

/** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the raw 32-byte key follows it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const SIGNATURE_BYTES = 64;
const KEY_BYTES = 32;
export const DEFAULT_KEY_CACHE_SIZE = 10_000;

export class NodeCryptoVerifier implements SignatureVerifier {
  // Building a KeyObject costs as much as a verification, so they are kept per key. Map keeps
  // insertion order; a hit re-inserts the key, so the first entry is always the least recently used.
  private readonly keys = new Map<string, KeyObject>();

  private readonly maxCachedKeys: number;

  constructor(maxCachedKeys: number = DEFAULT_KEY_CACHE_SIZE) {
    this.maxCachedKeys = Math.max(1, Math.floor(maxCachedKeys));
  }

  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
    try {
      if (!(signature instanceof Uint8Array) || signature.length !== SIGNATURE_BYTES) return false;
      if (!(message instanceof Uint8Array)) return false;
      const key = this.keyObject(publicKey);
      return key !== null && verify(null, message, key, signature);
    } catch {
      return false;
    }
  }

  /** Number of cached key objects (exposed for tests and metrics). */
  get cachedKeys(): number {
    return this.keys.size;
  }

  private keyObject(publicKey: Uint8Array): KeyObject | null {
    if (!(publicKey instanceof Uint8Array) || publicKey.length !== KEY_BYTES) return null;
    const id = toHex(publicKey);
    const cached = this.keys.get(id);
    if (cached !== undefined) {
      this.keys.delete(id);
      this.keys.set(id, cached);
      return cached;
    }
    // OpenSSL accepts non-canonical and small-order keys that the portable verifier refuses;
    // refusing them here too keeps both verifiers' verdicts identical.
    if (!isValidPublicKey(publicKey)) return null;
    const key = createPublicKey({
      key: Buffer.concat([ED25519_SPKI_PREFIX, publicKey]),
      format: 'der',
      type: 'spki',
    });
    if (this.keys.size >= this.maxCachedKeys) {
      const oldest = this.keys.keys().next();
      if (!oldest.done) this.keys.delete(oldest.value);
    }
    this.keys.set(id, key);
    return key;
  }
}
