// The manufacturer's signature printed in a pack's QR code (docs/pack-labels.md): Ed25519 over the four
// GS1 identifiers of the pack and the signing key's id, so that an app can tell a genuine label offline
// with nothing but the manufacturer's public key. Framework-free: runs in a browser and in the SDK.
import { canonicalBytes } from './canonical';
import { fromBase64Url, toBase64Url } from './encoding';
import { nobleVerifier, signMessage, type SignatureVerifier } from './keys';
import { SIGNATURE_BYTES } from './signing-message';

/** The `t` member of every signed label: a label signature can pass for nothing else the key signs. */
export const PACK_LABEL_TYPE = 'pharmatrace.pack-label';
/** The version of the signed bytes' layout below. */
export const PACK_LABEL_VERSION = 1;

/**
 * What a pack's label signature covers: the GS1 identifiers exactly as its Digital Link carries them
 * (after percent-decoding), and the id of the manufacturer key that signs.
 */
export interface PackLabelFields {
  /** GTIN-14 (AI 01), 14 digits. */
  gtin: string;
  /** Batch / lot number (AI 10), 1–20 characters of GS1 character set 82. */
  lot: string;
  /** Serial number (AI 21), 1–20 characters of GS1 character set 82. */
  serial: string;
  /** Expiry date (AI 17) as printed, YYMMDD. */
  expiry: string;
  /** The signing key's id, `ed25519:<32 hex>` (keyIdOf). */
  kid: string;
}

/**
 * The exact bytes a label signature covers: the RFC 8785 (JCS) canonical UTF-8 JSON of
 * `{"exp":<YYMMDD>,"gtin":<GTIN-14>,"kid":<kid>,"lot":<lot>,"ser":<serial>,"t":"pharmatrace.pack-label","v":1}`
 * (members in that, code-point, order; strings JSON-escaped by JCS).
 */
export function packLabelMessage(fields: PackLabelFields): Uint8Array {
  return canonicalBytes({
    exp: fields.expiry,
    gtin: fields.gtin,
    kid: fields.kid,
    lot: fields.lot,
    ser: fields.serial,
    t: PACK_LABEL_TYPE,
    v: PACK_LABEL_VERSION,
  });
}

/** The label signature (64 bytes, base64url without padding: 86 characters) by the manufacturer's secret key. */
export function signPackLabel(fields: PackLabelFields, secretKey: Uint8Array): string {
  return toBase64Url(signMessage(packLabelMessage(fields), secretKey));
}

/**
 * Whether `signature` (base64url) is `publicKey`'s signature over the label fields. Never throws: a
 * malformed signature or key is simply not valid. Same strict (cofactorless) rule as every other
 * signature in the ledger. `verifier`: the portable noble one by default; the server passes node:crypto's.
 */
export function verifyPackLabel(fields: PackLabelFields, signature: string, publicKey: Uint8Array, verifier: SignatureVerifier = nobleVerifier): boolean {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(signature);
  } catch {
    return false;
  }
  if (bytes.length !== SIGNATURE_BYTES) return false;
  return verifier.verify(bytes, packLabelMessage(fields), publicKey);
}
