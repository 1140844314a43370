// The signed-event pipeline end to end through the SDK: every refusal has its own code and stores
// nothing; identical resubmission is idempotent; concurrent events on one prev: exactly one wins.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventHash, eventSigningMessage, fromBase64Url, signMessage, toBase64Url } from '@pharmatrace/ledger-core';
import { ParticipantEventTypes, participantAssetId } from '@pharmatrace/participants/participant-events';
import { generateKeyFile, keySpecOf, PharmaTraceClient, signDraft, uuidv7 } from '@pharmatrace/sdk';
import { startTestServer, TestServer } from './support/test-server';
import { createTestNetwork, refusal, TestNetwork, uniqueGln } from './support/test-network';
import { refusedWithNothingStored as storedNothing } from './support/test-network';

describe('signed-event pipeline', () => {
  let server: TestServer;
  let net: TestNetwork;
  let maker: PharmaTraceClient;

  before(async () => {
    server = await startTestServer();
    net = await createTestNetwork(server);
    maker = await net.join('manufacturer', 'maker-1');
  });
  after(async () => server?.close());

  const addKeyDraft = (client: PharmaTraceClient, prev: string | null, id = uuidv7()) => ({
    type: ParticipantEventTypes.keyAdded,
    id,
    assets: [{ id: participantAssetId(client.participantId), prev }],
    data: { v: 1, participant: client.participantId, key: keySpecOf(generateKeyFile('terminal', 'terminal')) },
  });

  const refusedWithNothingStored = (code: string, fn: () => Promise<unknown>) => storedNothing(server, code, fn);

  it('identical resubmission returns the original receipt and stores nothing', async () => {
    const signed = maker.sign(addKeyDraft(maker, await maker.assetHead(participantAssetId(maker.participantId))));
    const first = await maker.submit(signed);
    const count = await server.eventCount();
    const again = await maker.submit(signed);
    assert.equal(first.duplicate, false);
    assert.equal(again.duplicate, true);
    assert.deepEqual({ ...again, duplicate: false }, first);
    assert.equal(await server.eventCount(), count);
  });

  it('refuses a replayed event id with changed content (EVENT_ID_REUSED)', async () => {
    const head = await maker.assetHead(participantAssetId(maker.participantId));
    const original = await maker.submit(maker.sign(addKeyDraft(maker, head)));
    const replay = maker.sign({ ...addKeyDraft(maker, original.hash, original.eventId) });
    await refusedWithNothingStored('EVENT_ID_REUSED', () => maker.submit(replay));
  });

  it('refuses a stale prev (STALE_PREV) and names the current head', async () => {
    const head = await maker.assetHead(participantAssetId(maker.participantId));
    await maker.submit(maker.sign(addKeyDraft(maker, head)));
    const r = await refusedWithNothingStored('STALE_PREV', () => maker.submit(maker.sign(addKeyDraft(maker, head))));
    assert.equal(r.details?.head, await maker.assetHead(participantAssetId(maker.participantId)));
  });

  it('refuses a prev on an asset that does not exist yet (STALE_PREV)', async () => {
    const signed = maker.sign({ ...addKeyDraft(maker, null) });
    await refusedWithNothingStored('STALE_PREV', () => maker.submit(signed));
  });

  it('refuses an event type the role may not sign (FORBIDDEN_ROLE)', async () => {
    const key = generateKeyFile('x');
    const signed = maker.sign({
      type: ParticipantEventTypes.registered,
      assets: [{ id: participantAssetId('rogue-1'), prev: null }],
      data: {
        v: 1,
        participant: { id: 'rogue-1', legalName: 'Rogue', role: 'pharmacy', gln: uniqueGln(), licence: { number: 'X', expiresOn: '2030-01-01' } },
        keys: [keySpecOf(key)],
      },
    });
    await refusedWithNothingStored('FORBIDDEN_ROLE', () => maker.submit(signed));
  });

  it('refuses a signature that does not match (BAD_SIGNATURE)', async () => {
    const signed = maker.sign(addKeyDraft(maker, await maker.assetHead(participantAssetId(maker.participantId))));
    const sig = fromBase64Url(signed.sig);
    sig[10] ^= 0x01;
    await refusedWithNothingStored('BAD_SIGNATURE', () => maker.submit({ ...signed, sig: toBase64Url(sig) }));
    const other = generateKeyFile('other');
    const byOtherKey = { event: signed.event, sig: toBase64Url(signMessage(eventSigningMessage(eventHash(signed.event)), fromBase64Url(other.secretKey))) };
    await refusedWithNothingStored('BAD_SIGNATURE', () => maker.submit(byOtherKey));
  });

  it('refuses content changed after signing (BAD_SIGNATURE)', async () => {
    const signed = maker.sign(addKeyDraft(maker, await maker.assetHead(participantAssetId(maker.participantId))));
    const tampered = { ...signed, event: { ...signed.event, data: { ...signed.event.data, participant: 'maker-1' }, at: new Date(Date.parse(signed.event.at) + 1).toISOString() } };
    await refusedWithNothingStored('BAD_SIGNATURE', () => maker.submit(tampered));
  });

  it('refuses a malformed signature and a malformed envelope with their own codes', async () => {
    const signed = maker.sign(addKeyDraft(maker, await maker.assetHead(participantAssetId(maker.participantId))));
    await refusedWithNothingStored('MALFORMED_SIGNATURE', () => maker.submit({ ...signed, sig: 'not-a-signature' }));
    const { kid: _kid, ...noKid } = signed.event;
    void _kid;
    const r = await refusedWithNothingStored('INVALID_ENVELOPE', () => maker.submit({ event: noKid as typeof signed.event, sig: signed.sig }));
    assert.match(r.message, /kid/);
  });

  it('refuses an unknown event type, an unknown key, and an event of another actor', async () => {
    await refusedWithNothingStored('UNKNOWN_EVENT_TYPE', () => maker.submit(maker.sign({ type: 'custody.teleported', assets: [], data: { v: 1 } })));
    const stranger = generateKeyFile('stranger', 'operator', maker.participantId);
    await refusedWithNothingStored('UNKNOWN_KEY', () => maker.submit(signDraft(stranger, addKeyDraft(maker, null))));
    const reg = generateKeyFile('reg', 'operator', net.regulator.participantId);
    await refusedWithNothingStored('ACTOR_MISMATCH', () => maker.submit(signDraft(reg, addKeyDraft(maker, null))));
  });

  it('refuses an event whose time is outside the clock skew (CLOCK_SKEW)', async () => {
    const head = await maker.assetHead(participantAssetId(maker.participantId));
    const stale = maker.sign({ ...addKeyDraft(maker, head), at: new Date(Date.now() - 3600_000) });
    const r = await refusedWithNothingStored('CLOCK_SKEW', () => maker.submit(stale));
    assert.match(r.message, /clock/);
  });

  it('refuses a data payload with unknown fields (INVALID_EVENT_DATA)', async () => {
    const draft = addKeyDraft(maker, await maker.assetHead(participantAssetId(maker.participantId)));
    const r = await refusedWithNothingStored('INVALID_EVENT_DATA', () => maker.submit(maker.sign({ ...draft, data: { ...draft.data, colour: 'red' } })));
    assert.match(r.message, /colour/);
  });

  it('lets exactly one of many concurrent events citing the same prev win', async () => {
    const head = await maker.assetHead(participantAssetId(maker.participantId));
    const before = await server.eventCount();
    const signedEvents = Array.from({ length: 12 }, () => maker.sign(addKeyDraft(maker, head)));
    const outcomes = await Promise.allSettled(signedEvents.map((s) => maker.submit(s)));
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    assert.equal(won.length, 1);
    assert.ok(lost.every((o) => (o.reason as { code: string }).code === 'STALE_PREV'));
    assert.equal(await server.eventCount(), before + 1);
  });

  it('applies a batch atomically, later events chaining on earlier ones', async () => {
    const head = await maker.assetHead(participantAssetId(maker.participantId));
    const first = maker.sign(addKeyDraft(maker, head));
    const second = maker.sign(addKeyDraft(maker, eventHash(first.event)));
    const receipts = await maker.submitMany([first, second]);
    assert.deepEqual(receipts.map((r) => r.index), [0, 1]);
    assert.equal(receipts[1].seq, receipts[0].seq + 1);
    assert.equal(await maker.assetHead(participantAssetId(maker.participantId)), receipts[1].hash);
  });

  it('rejects a whole batch with each bad event reported by index, storing nothing', async () => {
    const head = await maker.assetHead(participantAssetId(maker.participantId));
    const good = maker.sign(addKeyDraft(maker, head));
    const badSig = { ...maker.sign(addKeyDraft(maker, eventHash(good.event))), sig: good.sig };
    const stale = maker.sign(addKeyDraft(maker, head));
    const r = await refusedWithNothingStored('BATCH_REJECTED', () => maker.submitMany([good, badSig, stale]));
    const errors = r.details?.errors as Array<{ index: number; code: string }>;
    assert.deepEqual(
      errors.map((e) => [e.index, e.code]),
      [
        [1, 'BAD_SIGNATURE'],
        [2, 'STALE_PREV'],
      ],
    );
    assert.equal(await maker.assetHead(participantAssetId(maker.participantId)), head);
  });
});
