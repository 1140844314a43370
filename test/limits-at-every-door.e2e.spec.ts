// A limit or a data check holds whichever mutation carries the event, and a bulk call with a problem in
// its data is refused before the log lock is taken, naming the bad event by index.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateSerials } from '@pharmatrace/gs1';
import { commissionPacks, PharmaTraceClient, signReadings } from '@pharmatrace/sdk';
import { CommissionedData, CustodyEventTypes, packAssetId } from '@pharmatrace/custody/custody-events';
import { startTestServer, TestServer } from './support/test-server';
import { createTestNetwork, refusedWithNothingStored } from './support/test-network';
import { productAndBatch } from './support/custody-fixture';

const SUBMIT_MANY = 'mutation($i: [SignedEventInput!]!) { submitEvents(input: $i) { seq } }';

describe('limits at every door, data checks before the lock', () => {
  let server: TestServer;
  let maker: PharmaTraceClient;

  before(async () => {
    server = await startTestServer();
    const network = await createTestNetwork(server);
    maker = await network.join('manufacturer');
  });
  after(() => server.close());

  it('readings uploads: more than 10 events in one call is BATCH_TOO_LARGE through submitEvents as through recordReadings', async () => {
    const { gtin, batch } = await productAndBatch(maker, 5);
    const { serials } = await commissionPacks(maker, batch, 1);
    const subject = packAssetId(gtin, serials[0]);
    const start = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
    const events = Array.from({ length: 11 }, (_, i) => signReadings(maker, subject, [{ at: new Date(start + i * 60_000), celsius: 5 }])[0]);
    for (const mutation of [SUBMIT_MANY, 'mutation($i: [SignedEventInput!]!) { recordReadings(input: $i) { seq } }']) {
      const r = await refusedWithNothingStored(server, 'BATCH_TOO_LARGE', () => maker.query(mutation, { i: events }));
      assert.match(r.message, /at most 10/);
    }
  });

  it('a 20,000-pack commissioning whose last event repeats a serial of its fourth: refused before the lock, the last event named, nothing stored', async () => {
    const { batch } = await productAndBatch(maker, 25_000);
    const serials = generateSerials(20_000);
    serials[19_999] = serials[3_500];
    const r = await refusedWithNothingStored(server, 'BATCH_REJECTED', () => commissionPacks(maker, batch, serials));
    const errors = r.details?.errors as Array<{ index: number; code: string; message: string }>;
    assert.deepEqual(errors.map((e) => [e.index, e.code]), [[19, 'INVALID_EVENT_DATA']]);
    assert.match(errors[0].message, /also created by event 3/);
  });

  it('a commissioning whose last event names a serial that already exists: ALREADY_REGISTERED for that event, nothing stored', async () => {
    const { batch } = await productAndBatch(maker, 10_000);
    const first = await commissionPacks(maker, batch, 10);
    const serials = generateSerials(3_000);
    serials[2_999] = first.serials[4];
    const r = await refusedWithNothingStored(server, 'BATCH_REJECTED', () => commissionPacks(maker, batch, serials));
    const errors = r.details?.errors as Array<{ index: number; code: string }>;
    assert.deepEqual(errors.map((e) => [e.index, e.code]), [[2, 'ALREADY_REGISTERED']]);
  });

  it('resubmitting the identical commissioning is answered as a duplicate (the original receipt), not as taken serials', async () => {
    const { batch } = await productAndBatch(maker, 100);
    const prev = await maker.assetHead(batch);
    const data: CommissionedData = { v: 1, batch, serials: generateSerials(50) };
    const signed = maker.sign({ type: CustodyEventTypes.commissioned, assets: [{ id: batch, prev }], data });
    const query = 'mutation($i: [SignedEventInput!]!) { submitEvents(input: $i) { seq duplicate } }';
    const first = await maker.query<{ submitEvents: Array<{ seq: number; duplicate: boolean }> }>(query, { i: [signed] });
    const count = await server.eventCount();
    const again = await maker.query<{ submitEvents: Array<{ seq: number; duplicate: boolean }> }>(query, { i: [signed] });
    assert.deepEqual(again.submitEvents, [{ seq: first.submitEvents[0].seq, duplicate: true }]);
    assert.equal(await server.eventCount(), count);
  });
});
