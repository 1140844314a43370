// Everything checked on one event, in the order that names the most precise cause first: its stored
// bytes, its envelope, who could sign it then, its signature, its chain links, and its effect.
import {
  canonicalJson,
  describeProblems,
  EventEnvelope,
  eventSigningMessage,
  fromBase64Url,
  sha256Hex,
  utf8,
  validateEnvelope,
  type SignatureVerifier,
} from '@pharmatrace/ledger-core';
import { AuditFailure, eventFailure } from './audit-failure';
import type { AssetChains } from './asset-chains';
import type { ReplayedEvent, SignerResolver, SourceEvent, StateProjection } from './audit-source';

export interface EventReplayContext {
  verifier: SignatureVerifier;
  signers: SignerResolver;
  chains: AssetChains;
  projections: StateProjection[];
}

const SIGNATURE_BYTES = 64;

/** The event's content as stored, checked to be exactly what was hashed. */
function readContent(e: SourceEvent): { ok: true; content: unknown } | { ok: false; failure: AuditFailure } {
  const fail = (code: AuditFailure['code'], why: string) => ({ ok: false as const, failure: eventFailure(code, e.seq, e.hash, why) });
  if (e.body === null) {
    // Only the parsed event is available: its canonical form must hash to the stored hash.
    let canonical: string;
    try {
      canonical = canonicalJson(e.event);
    } catch (err) {
      return fail('EVENT_NOT_CANONICAL', `the event cannot be written as canonical JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    const actual = sha256Hex(utf8(canonical));
    if (actual !== e.hash) return fail('EVENT_HASH_MISMATCH', `the event's content hashes to ${actual}, not to its stored hash: it was changed after it was signed.`);
    return { ok: true, content: e.event };
  }
  const actual = sha256Hex(utf8(e.body));
  if (actual !== e.hash) return fail('EVENT_HASH_MISMATCH', `the stored body hashes to ${actual}, not to the stored hash: the event's content was changed after it was signed.`);
  let content: unknown;
  try {
    content = JSON.parse(e.body);
  } catch {
    return fail('EVENT_NOT_CANONICAL', 'the stored body is not JSON.');
  }
  let canonical: string | null = null;
  try {
    canonical = canonicalJson(content);
  } catch {
    canonical = null;
  }
  if (canonical !== e.body) return fail('EVENT_NOT_CANONICAL', 'the stored body is not its own RFC 8785 canonical form, so it is not what the signature covers.');
  return { ok: true, content };
}

function checkColumns(event: EventEnvelope, e: SourceEvent): AuditFailure | null {
  const c = e.columns;
  if (!c) return null;
  const pairs: Array<[string, string, string]> = [
    ['event_id', c.eventId, event.id],
    ['type', c.type, event.type],
    ['actor', c.actor, event.actor],
    ['kid', c.kid, event.kid],
  ];
  for (const [column, stored, signed] of pairs) {
    if (stored !== signed) return eventFailure('EVENT_COLUMNS_MISMATCH', e.seq, e.hash, `column ${column} is "${stored}", the signed event says "${signed}".`);
  }
  if (Date.parse(c.at) !== Date.parse(event.at)) return eventFailure('EVENT_COLUMNS_MISMATCH', e.seq, e.hash, `column at is ${c.at}, the signed event says ${event.at}.`);
  return null;
}

function checkSignature(e: SourceEvent, publicKey: Uint8Array, kid: string, verifier: SignatureVerifier): AuditFailure | null {
  let signature: Uint8Array | null = null;
  try {
    signature = fromBase64Url(e.sig);
  } catch {
    signature = null;
  }
  if (signature === null || signature.length !== SIGNATURE_BYTES) {
    return eventFailure('SIGNATURE_INVALID', e.seq, e.hash, `the stored signature is not the base64url text of a ${SIGNATURE_BYTES}-byte Ed25519 signature.`);
  }
  if (!verifier.verify(signature, eventSigningMessage(e.hash), publicKey)) {
    return eventFailure('SIGNATURE_INVALID', e.seq, e.hash, `the signature does not verify with key ${kid}, the key the signer held at that point of the log.`);
  }
  return null;
}

/** Replays one event: returns the first failure, or null after applying it to the chains and projections. */
export function replayEvent(e: SourceEvent, ctx: EventReplayContext): AuditFailure | null {
  const read = readContent(e);
  if (!read.ok) return read.failure;
  const check = validateEnvelope(read.content);
  if (!check.ok) return eventFailure('EVENT_ENVELOPE_INVALID', e.seq, e.hash, `${describeProblems(check.problems)}.`);
  const event = check.event;
  const replayed: ReplayedEvent = { seq: e.seq, hash: e.hash, event };

  const columns = checkColumns(event, e);
  if (columns) return columns;
  const signer = ctx.signers.signerOf(replayed);
  if (!signer.ok) return signer.failure;
  const signature = checkSignature(e, signer.publicKey, event.kid, ctx.verifier);
  if (signature) return signature;
  const prev = ctx.chains.checkPrev(event, e.seq, e.hash);
  if (prev) return prev;
  if (e.links) {
    const links = ctx.chains.checkLinks(event, e.links, e.seq, e.hash);
    if (links) return links;
  }
  for (const projection of ctx.projections) {
    const refused = projection.apply(replayed);
    if (refused) return refused;
  }
  ctx.chains.advance(event, e.seq, e.hash);
  return null;
}
