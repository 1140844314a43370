// The signed event envelope: identity (hash), signing and verification of one event.
import { canonicalBytes } from './canonical';
import { toBase64Url, toHex } from './encoding';
import { describeProblems, LedgerCoreError } from './errors';
import { sha256 } from './hash';
import { keyIdOf, nobleVerifier, publicKeyFromSecret, signMessage, type SignatureVerifier } from './keys';
import { EVENT_SIGNATURE_CONTEXT, type EventData, type EventEnvelope, type EventVerdict, type SignedEvent } from './envelope-types';
import { inspectEnvelope } from './envelope-validation';
import { decodeSignature, domainSeparatedMessage, SIGNATURE_BYTES } from './signing-message';
import { checkMembers, isPlainObject, ProblemList } from './validation';

export * from './envelope-types';
export { validateEnvelope } from './envelope-validation';

const SIGNED_EVENT_FIELDS = ['event', 'sig'] as const;

/** The event's identity: hex SHA-256 of its RFC 8785 canonical bytes. */
export function eventHash(event: EventEnvelope): string {
  return toHex(sha256(canonicalBytes(event)));
}

export function eventSigningMessage(eventHashHex: string): Uint8Array {
  return domainSeparatedMessage(EVENT_SIGNATURE_CONTEXT, eventHashHex);
}

export function signEvent<D extends EventData>(event: EventEnvelope<D>, secretKey: Uint8Array): SignedEvent<D> {
  const inspection = inspectEnvelope(event);
  if (inspection.canonical === null) {
    throw new LedgerCoreError(
      'INVALID_ENVELOPE',
      `The event cannot be signed because the envelope is invalid: ${describeProblems(inspection.problems)}.`,
      inspection.problems,
    );
  }
  // Checked here because every verifier would refuse the result with KEY_MISMATCH anyway.
  const kid = keyIdOf(publicKeyFromSecret(secretKey));
  if (event.kid !== kid) {
    throw new LedgerCoreError('KEY_MISMATCH', `The event names key "${event.kid}" but the secret key given is "${kid}".`);
  }
  const hash = toHex(sha256(inspection.canonical));
  return { event, sig: toBase64Url(signMessage(eventSigningMessage(hash), secretKey)) };
}

/** Checks envelope, signature format, key id and signature, and says exactly what failed first. */
export function verifySignedEvent(
  signed: SignedEvent | unknown,
  publicKey: Uint8Array,
  verifier: SignatureVerifier = nobleVerifier,
): EventVerdict {
  const problems = new ProblemList();
  if (!isPlainObject(signed)) {
    problems.add('NOT_AN_OBJECT', '', 'A signed event must be a JSON object { event, sig }.');
    return invalid(problems);
  }
  // `sig` is optional at this stage so that a missing signature is reported as a signature problem.
  checkMembers(signed, ['event'], SIGNED_EVENT_FIELDS, '', problems);
  const inspection = inspectEnvelope(signed.event, 'event');
  if (Object.prototype.hasOwnProperty.call(signed, 'event')) for (const p of inspection.problems) problems.items.push(p);
  if (!problems.empty || inspection.event === null || inspection.canonical === null) return invalid(problems);
  const event = inspection.event;

  const signature = decodeSignature(signed.sig);
  if (signature === null) {
    return {
      ok: false,
      code: 'MALFORMED_SIGNATURE',
      message: `"sig" must be the base64url (unpadded) text of a ${SIGNATURE_BYTES}-byte Ed25519 signature.`,
    };
  }
  if (!(publicKey instanceof Uint8Array) || keyIdOf(publicKey) !== event.kid) {
    return {
      ok: false,
      code: 'KEY_MISMATCH',
      message: `The event names key "${event.kid}" but the public key given is ${publicKey instanceof Uint8Array ? `"${keyIdOf(publicKey)}"` : 'not bytes'}.`,
    };
  }
  const hash = toHex(sha256(inspection.canonical));
  if (!verifier.verify(signature, eventSigningMessage(hash), publicKey)) {
    return { ok: false, code: 'BAD_SIGNATURE', message: `The signature does not match event ${hash} and key "${event.kid}".` };
  }
  return { ok: true, hash };
}

function invalid(problems: ProblemList): EventVerdict {
  return {
    ok: false,
    code: 'INVALID_ENVELOPE',
    message: `The event envelope is invalid: ${describeProblems(problems.items)}.`,
    problems: problems.items,
  };
}
