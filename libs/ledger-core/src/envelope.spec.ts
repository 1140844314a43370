import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson } from './canonical';
import { fromBase64Url, fromHex, toBase64Url, toHex, utf8 } from './encoding';
import {
  EVENT_SIGNATURE_CONTEXT,
  eventHash,
  eventSigningMessage,
  signEvent,
  verifySignedEvent,
  type EventEnvelope,
  type EventVerdict,
  type SignedEvent,
} from './envelope';
import { LedgerCoreError } from './errors';
import { sha256Hex } from './hash';
import { generateKeyPair, keyIdOf, publicKeyFromSecret, signMessage } from './keys';
import { NodeCryptoVerifier } from './node-crypto-verifier';

// RFC 8032 §7.1 TEST 1 key: deterministic signatures make the known answers below reproducible.
const SECRET = fromHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
const PUBLIC = publicKeyFromSecret(SECRET);
const KID = keyIdOf(PUBLIC);

function event(overrides: Partial<EventEnvelope> = {}): EventEnvelope {
  return {
    type: 'custody.shipped',
    id: 'evt-0001',
    actor: 'participant:wholesaler-1',
    kid: KID,
    at: '2025-03-01T12:30:00.000Z',
    assets: [{ id: 'pack-1', prev: 'ab'.repeat(32) }],
    data: { v: 1, to: 'participant:pharmacy-9', note: 'é' },
    ...overrides,
  };
}

function failure(verdict: EventVerdict): { code: string; message: string; problems?: Array<{ code: string; path: string }> } {
  assert.equal(verdict.ok, false, 'expected a refusal');
  if (verdict.ok) throw new Error('unreachable');
  return verdict;
}

describe('eventHash', () => {
  it('is the SHA-256 of the RFC 8785 form (known answer)', () => {
    const canonical =
      '{"actor":"participant:wholesaler-1","assets":[{"id":"pack-1","prev":"' + 'ab'.repeat(32) + '"}],"at":"2025-03-01T12:30:00.000Z",' +
      '"data":{"note":"é","to":"participant:pharmacy-9","v":1},"id":"evt-0001","kid":"' + KID + '","type":"custody.shipped"}';
    assert.equal(canonicalJson(event()), canonical);
    assert.equal(eventHash(event()), sha256Hex(utf8(canonical)));
    // Computed independently (Python hashlib over the text above).
    assert.equal(eventHash(event()), 'c939533f0e79ee7e4ddbaecddef1fb46cd6cd92ef2dab45d9fe320e1cded2c75');
  });

  it('does not depend on key order, at any depth', () => {
    const e = event();
    const reordered = JSON.parse(
      `{"data":{"note":"é","v":1,"to":"participant:pharmacy-9"},"assets":[{"prev":"${'ab'.repeat(32)}","id":"pack-1"}],` +
        `"type":"custody.shipped","kid":"${KID}","at":"2025-03-01T12:30:00.000Z","id":"evt-0001","actor":"participant:wholesaler-1"}`,
    ) as EventEnvelope;
    assert.equal(eventHash(reordered), eventHash(e));
  });

  it('changes with any field, including asset order', () => {
    const base = eventHash(event());
    const variants = [
      event({ id: 'evt-0002' }),
      event({ at: '2025-03-01T12:30:00.001Z' }),
      event({ data: { v: 2, to: 'participant:pharmacy-9', note: 'é' } }),
      event({ assets: [{ id: 'pack-1', prev: null }] }),
    ];
    for (const v of variants) assert.notEqual(eventHash(v), base);
    const two = event({ assets: [{ id: 'a', prev: null }, { id: 'b', prev: null }] });
    const swapped = event({ assets: [{ id: 'b', prev: null }, { id: 'a', prev: null }] });
    assert.notEqual(eventHash(two), eventHash(swapped));
  });
});

describe('eventSigningMessage', () => {
  it('is context ‖ 0x00 ‖ the 32 hash bytes', () => {
    const hash = eventHash(event());
    const message = eventSigningMessage(hash);
    assert.equal(message.length, EVENT_SIGNATURE_CONTEXT.length + 1 + 32);
    assert.equal(new TextDecoder().decode(message.subarray(0, EVENT_SIGNATURE_CONTEXT.length)), 'PharmaTrace/event/v1');
    assert.equal(message[EVENT_SIGNATURE_CONTEXT.length], 0);
    assert.equal(toHex(message.subarray(EVENT_SIGNATURE_CONTEXT.length + 1)), hash);
  });

  it('refuses anything but a lowercase hex SHA-256 with BAD_HASH', () => {
    for (const bad of ['', 'ab', 'AB'.repeat(32), 'ab'.repeat(33), 'zz'.repeat(32)]) {
      assert.throws(() => eventSigningMessage(bad), (e: unknown) => e instanceof LedgerCoreError && e.code === 'BAD_HASH');
    }
  });
});

describe('signEvent and verifySignedEvent', () => {
  it('round-trip, and the verdict carries the event hash', () => {
    const signed = signEvent(event(), SECRET);
    assert.equal(fromBase64Url(signed.sig).length, 64);
    assert.doesNotMatch(signed.sig, /[=+/]/);
    assert.deepEqual(verifySignedEvent(signed, PUBLIC), { ok: true, hash: eventHash(event()) });
  });

  it('produce the known signature for the RFC 8032 key (deterministic Ed25519)', () => {
    // Computed independently with OpenSSL (node:crypto sign over context ‖ 0x00 ‖ hash).
    assert.equal(KID, 'ed25519:21fe31dfa154a261626bf854046fd227');
    assert.equal(
      signEvent(event(), SECRET).sig,
      'tYeQE5D-zS9CZKltZ3vWhu4gVzWRP__CC9LgX2NtrUoUfiyvPQVDKP8YpnwEKWggQoWKHjBWmu_Py64n-yy_Bg',
    );
  });

  it('survive JSON transport and key reordering', () => {
    const signed = signEvent(event(), SECRET);
    const wire = JSON.parse(JSON.stringify(signed)) as SignedEvent;
    assert.equal(verifySignedEvent(wire, PUBLIC).ok, true);
    const reordered = { sig: signed.sig, event: Object.fromEntries(Object.entries(signed.event).reverse()) };
    assert.equal(verifySignedEvent(reordered, PUBLIC).ok, true);
  });

  it('verify the same way with the node:crypto verifier', () => {
    const signed = signEvent(event(), SECRET);
    const node = new NodeCryptoVerifier();
    assert.deepEqual(verifySignedEvent(signed, PUBLIC, node), verifySignedEvent(signed, PUBLIC));
    const tampered = { ...signed, event: event({ id: 'evt-9' }) };
    assert.equal(failure(verifySignedEvent(tampered, PUBLIC, node)).code, 'BAD_SIGNATURE');
  });

  it('signEvent refuses an invalid envelope with INVALID_ENVELOPE listing the problems', () => {
    assert.throws(
      () => signEvent(event({ type: 'nodot', assets: [{ id: 'a', prev: 'bad' }] }), SECRET),
      (e: unknown) =>
        e instanceof LedgerCoreError &&
        e.code === 'INVALID_ENVELOPE' &&
        e.problems.map((p) => p.code).join() === 'BAD_TYPE,BAD_PREV' &&
        /assets\[0\]\.prev/.test(e.message),
    );
  });

  it('signEvent refuses a key other than the one the event names (KEY_MISMATCH)', () => {
    assert.throws(
      () => signEvent(event(), generateKeyPair().secretKey),
      (e: unknown) => e instanceof LedgerCoreError && e.code === 'KEY_MISMATCH',
    );
  });

  it('INVALID_ENVELOPE with paths into the signed event', () => {
    const signed = signEvent(event(), SECRET);
    for (const bad of [null, 'x', [], { sig: signed.sig }]) assert.equal(failure(verifySignedEvent(bad, PUBLIC)).code, 'INVALID_ENVELOPE');
    assert.deepEqual(failure(verifySignedEvent({ sig: signed.sig }, PUBLIC)).problems?.map((p) => p.path), ['event']);
    const extra = failure(verifySignedEvent({ ...signed, hash: 'x' }, PUBLIC));
    assert.deepEqual(extra.problems?.map((p) => [p.code, p.path]), [['UNKNOWN_FIELD', 'hash']]);
    const badPrev = { ...signed, event: { ...signed.event, assets: [{ id: 'pack-1', prev: 'AB'.repeat(32) }] } };
    const verdict = failure(verifySignedEvent(badPrev, PUBLIC));
    assert.equal(verdict.code, 'INVALID_ENVELOPE');
    assert.deepEqual(verdict.problems?.map((p) => [p.code, p.path]), [['BAD_PREV', 'event.assets[0].prev']]);
    assert.match(verdict.message, /event\.assets\[0\]\.prev/);
  });

  it('MALFORMED_SIGNATURE for a missing, non-text, non-base64url or wrong-length sig', () => {
    const signed = signEvent(event(), SECRET);
    const sigBytes = fromBase64Url(signed.sig);
    const bad: unknown[] = [undefined, null, 42, '', 'not base64url!', signed.sig + '==', toBase64Url(sigBytes.subarray(0, 63)), toBase64Url(new Uint8Array(65))];
    for (const sig of bad) {
      const input = sig === undefined ? { event: signed.event } : { event: signed.event, sig };
      assert.equal(failure(verifySignedEvent(input, PUBLIC)).code, 'MALFORMED_SIGNATURE', String(sig));
    }
  });

  it('KEY_MISMATCH when the public key is not the one the event names', () => {
    const signed = signEvent(event(), SECRET);
    const other = generateKeyPair().publicKey;
    const verdict = failure(verifySignedEvent(signed, other));
    assert.equal(verdict.code, 'KEY_MISMATCH');
    assert.match(verdict.message, new RegExp(KID));
    assert.equal(failure(verifySignedEvent(signed, 'not bytes' as unknown as Uint8Array)).code, 'KEY_MISMATCH');
  });

  it('BAD_SIGNATURE for a changed event, a borrowed signature or another context', () => {
    const signed = signEvent(event(), SECRET);
    const changed = { ...signed, event: { ...signed.event, data: { ...signed.event.data, to: 'participant:thief' } } };
    assert.equal(failure(verifySignedEvent(changed, PUBLIC)).code, 'BAD_SIGNATURE');
    const borrowed = { event: event({ id: 'evt-0002' }), sig: signed.sig };
    assert.equal(failure(verifySignedEvent(borrowed, PUBLIC)).code, 'BAD_SIGNATURE');
    // A signature over the bare hash (no context) must not pass: domain separation.
    const bare = toBase64Url(signMessage(fromHex(eventHash(event())), SECRET));
    assert.equal(failure(verifySignedEvent({ event: event(), sig: bare }, PUBLIC)).code, 'BAD_SIGNATURE');
    const flipped = fromBase64Url(signed.sig);
    flipped[10] ^= 1;
    assert.equal(failure(verifySignedEvent({ ...signed, sig: toBase64Url(flipped) }, PUBLIC)).code, 'BAD_SIGNATURE');
  });
});
