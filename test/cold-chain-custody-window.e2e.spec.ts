// Evidence inside its custody window, one scenario per rule and named after it, end to end against the real
// API and worker: readings count for an item only from its commissioning on and while whoever recorded
// them held it, a shipment's only between shipping and receipt and only from its sender's or recipient's
// keys, a container's only while the item sat in it. Readings outside the window are kept and shown as not
// counted; an upload none of whose readings could ever count (a closed shipment's) is refused with nothing
// stored. Custody windows open at real server times, so the scenarios take readings a second apart.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { packAssetId } from '@pharmatrace/custody/custody-events';
import {
  commissionPacks,
  item,
  pack,
  PharmaTraceClient,
  ReadingInput,
  receive,
  recordSignedReadings,
  ship,
  signReadings,
  temperatureHistory,
  TemperatureHistoryView,
  unpack,
} from '@pharmatrace/sdk';
import { startTestServer, TestServer, waitFor } from './support/test-server';
import { createTestNetwork, refusal, TestNetwork } from './support/test-network';
import { acceptedAt, coldProduct, deliveredPallet, readingsAfter, readingsUntil, registerLogger, repeat, taken, windowedHistory } from './support/cold-chain-fixture';
import { newSscc } from './support/custody-fixture';

const sleepUntil = async (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms - Date.now())));

describe('cold chain: evidence inside its custody window', () => {
  let server: TestServer;
  let net: TestNetwork;
  let maker: PharmaTraceClient;
  let wholesaler: PharmaTraceClient;
  let pharmacy: PharmaTraceClient;
  let makerLogger: PharmaTraceClient;
  let wholesalerLogger: PharmaTraceClient;
  let pharmacyLogger: PharmaTraceClient;
  /** 2–8 °C, no time out of range allowed, MKT at most 8 °C: a second out of range breaks it. */
  let batch: string;
  let gtin: string;
  /** Pallets the wholesaler shipped to the pharmacy, each in transit for a few seconds, both received. */
  const handedOn: Array<{ pallet: string; shipment: string; shippedAt: number; receivedAt: number }> = [];

  before(async () => {
    server = await startTestServer(undefined, { SEAL_DEBOUNCE_MS: '50' });
    net = await createTestNetwork(server);
    [maker, wholesaler, pharmacy] = await Promise.all([net.join('manufacturer', 'cw-maker'), net.join('wholesaler', 'cw-wholesaler'), net.join('pharmacy', 'cw-pharmacy')]);
    [makerLogger, wholesalerLogger, pharmacyLogger] = await Promise.all([registerLogger(maker), registerLogger(wholesaler), registerLogger(pharmacy)]);
    ({ batch, gtin } = await coldProduct(maker, { excursionPolicy: { maxMinutesOutOfRange: 0, maxMktC: 8 } }));

    for (let i = 0; i < 2; i++) {
      const { pallet } = await deliveredPallet(maker, wholesaler, batch);
      const { shipment, receipt } = await ship(wholesaler, pharmacy.participantId, [pallet]);
      handedOn.push({ pallet, shipment, shippedAt: await acceptedAt(server, receipt.seq), receivedAt: 0 });
    }
    // In transit long enough for a logger to take two readings a second apart.
    await sleepUntil(Math.max(...handedOn.map((h) => h.shippedAt)) + 2500);
    for (const h of handedOn) h.receivedAt = await acceptedAt(server, (await receive(pharmacy, h.shipment)).seq);
  });
  after(async () => server?.close());

  /** A logger's readings, uploaded through its owner's session once they have all been taken. */
  const upload = async (device: PharmaTraceClient, gateway: PharmaTraceClient, subject: string, readings: ReadingInput[]) =>
    recordSignedReadings(gateway, signReadings(device, subject, await taken(readings)));

  const evaluated = (subject: string, client: PharmaTraceClient): Promise<TemperatureHistoryView> =>
    waitFor(`the evaluation of ${subject}`, async () => {
      const h = await temperatureHistory(client, subject, { first: 0 });
      return !h.evaluationPending && h.evaluations.length > 0 ? h : null;
    });

  async function refusedUpload(code: string, fn: () => Promise<unknown>): Promise<string> {
    const before = await server.eventCount();
    const r = await refusal(fn);
    assert.equal(r.code, 'BATCH_REJECTED', r.message);
    const [first] = (r.details?.readings ?? []) as Array<{ code: string; message: string; reading: number | null }>;
    assert.equal(first?.code, code, first?.message);
    assert.equal(await server.eventCount(), before, 'a refused upload stores nothing');
    return first.message;
  }

  it('item window: readings taken before the packs were commissioned count for nothing (16:00–19:20 on packs commissioned at 19:23)', async () => {
    const { receipts, serials } = await commissionPacks(maker, batch, 3);
    const [early, straddling, hot] = serials.map((s) => packAssetId(gtin, s));
    const commissionedAt = await acceptedAt(server, receipts[0].seq);

    // The incident: the line's logger read out readings every 10 min from 3 h 23 min to 3 min before the
    // packs existed, far too warm. They are the logger's, not the packs': stored, shown, never judged.
    await upload(makerLogger, maker, early, readingsUntil(commissionedAt - 3 * 60_000, repeat(30, 21), 600));
    const h = await evaluated(early, maker);
    assert.deepEqual([h.verdict, h.evaluations[0].readings, h.readingCount, h.items[0].state], ['no_readings', 0, 21, 'active']);
    const w = await windowedHistory(maker, early);
    assert.equal(w.excludedReadingCount, 21);
    assert.ok(w.readings.every((r) => !r.counted));

    // One event across the moment of commissioning: only what was taken once the pack existed counts.
    await upload(makerLogger, maker, straddling, [...readingsUntil(commissionedAt - 1000, repeat(30, 3)), ...readingsAfter(commissionedAt, [5, 6, 5])]);
    const s = await evaluated(straddling, maker);
    assert.deepEqual([s.verdict, s.evaluations[0].readings, s.evaluations[0].worstC, s.items[0].state], ['within_policy', 3, 6, 'active']);
    assert.deepEqual((await windowedHistory(maker, straddling)).readings.map((r) => [r.celsius, r.counted]), [[30, false], [30, false], [30, false], [5, true], [6, true], [5, true]]);

    // The positive case: an excursion once the pack exists still quarantines it.
    await upload(makerLogger, maker, hot, readingsAfter(commissionedAt, [5, 15, 15, 5]));
    const q = await evaluated(hot, maker);
    assert.deepEqual([q.verdict, q.evaluations[0].readings, q.evaluations[0].breaches], ['broken', 4, ['TIME_OUT_OF_RANGE', 'MKT_ABOVE_LIMIT']]);
    await waitFor('the quarantine', async () => (await item(maker, hot))?.state === 'quarantined');
  });

  it('item window: an item’s own readings count only while whoever recorded them held it', async () => {
    const { pallet, received } = await deliveredPallet(maker, wholesaler, batch);
    const receivedAt = await acceptedAt(server, received.seq);
    // The wholesaler's logger read out its buffer: warm while the pallet was still the manufacturer's, in
    // range since the wholesaler received it. Only the wholesaler's own custody is its logger's to report.
    await upload(wholesalerLogger, wholesaler, pallet, [...readingsUntil(receivedAt - 1000, repeat(20, 5)), ...readingsAfter(receivedAt, [4, 4])]);
    const h = await evaluated(pallet, wholesaler);
    assert.deepEqual([h.verdict, h.evaluations[0].readings, h.evaluations[0].worstC, h.items[0].state], ['within_policy', 2, 4, 'active']);
    assert.equal((await windowedHistory(wholesaler, pallet)).excludedReadingCount, 5);
  });

  it('shipment window: after the pharmacy received the shipment, the former sender’s 60 °C readings do not quarantine its goods', async () => {
    const { pallet, shipment, shippedAt, receivedAt } = handedOn[0];
    // The incident: the wholesaler's logger, still running after the handover, reports 60 °C on the shipment.
    // None of it could ever count, so the upload is refused and nothing is stored.
    const message = await refusedUpload('READINGS_OUTSIDE_CUSTODY', () => upload(wholesalerLogger, wholesaler, shipment, readingsAfter(receivedAt, [60, 60, 60])));
    assert.match(message, /received by cw-pharmacy at .*in the custody of cw-pharmacy, not yours: upload only readings taken before/);
    // The recipient's own readings after receipt belong on the items, and it is told so.
    assert.match(await refusedUpload('READINGS_OUTSIDE_CUSTODY', () => upload(pharmacyLogger, pharmacy, shipment, readingsAfter(receivedAt, [5]))), /on the items themselves/);
    assert.equal((await temperatureHistory(wholesaler, shipment, { first: 0 })).readingCount, 0);

    // One event read out late, from before shipping to after receipt: only the transit counts.
    const readings = [...readingsUntil(shippedAt - 1000, [30, 30]), ...readingsAfter(shippedAt, [5, 5]), ...readingsAfter(receivedAt, [60, 60])];
    await upload(wholesalerLogger, wholesaler, shipment, readings);
    const h = await evaluated(shipment, wholesaler);
    assert.deepEqual([h.verdict, h.evaluations[0].subject, h.evaluations[0].readings, h.evaluations[0].worstC], ['within_policy', pallet, 2, 5]);
    const w = await windowedHistory(wholesaler, shipment);
    assert.deepEqual([w.readingCount, w.excludedReadingCount], [6, 4]);
    assert.deepEqual(w.readings.map((r) => r.counted), [false, false, true, true, false, false]);
    assert.deepEqual([(await item(pharmacy, pallet))?.state, (await item(pharmacy, pallet))?.custodianId], ['active', pharmacy.participantId]);
  });

  it('shipment window: readings taken in transit but uploaded after receipt still count, and an excursion quarantines the goods', async () => {
    const { pallet, shipment, shippedAt } = handedOn[1];
    await upload(wholesalerLogger, wholesaler, shipment, readingsAfter(shippedAt, [15, 15]));
    const h = await evaluated(shipment, wholesaler);
    assert.deepEqual([h.verdict, h.evaluations[0].subject, h.evaluations[0].readings, h.evaluations[0].worstC], ['broken', pallet, 2, 15]);
    await waitFor('the quarantine of the pharmacy’s goods', async () => (await item(pharmacy, pallet))?.state === 'quarantined');
  });

  it('container window: a case’s readings count for a pack only while the pack was inside it', async () => {
    const { serials } = await commissionPacks(maker, batch, 2);
    const [leaver, stayer] = serials.map((s) => packAssetId(gtin, s));
    const box = newSscc();
    const packedAt = await acceptedAt(server, (await pack(maker, { id: box, kind: 'case' }, [leaver, stayer], { newContainer: true })).seq);
    await sleepUntil(packedAt + 1500);
    const unpackedAt = await acceptedAt(server, (await unpack(maker, box, [leaver])).seq);

    // The case's logger: in range while both packs were inside, then an excursion once one had left.
    await upload(makerLogger, maker, box, readingsAfter(packedAt, [5]));
    await upload(makerLogger, maker, box, readingsAfter(unpackedAt, [15, 15]));
    await waitFor('the case’s quarantine', async () => (await item(maker, box))?.state === 'quarantined');

    // The pack that had left: the case's readings count only up to the unpacking.
    await upload(makerLogger, maker, leaver, readingsAfter(unpackedAt + 2000, [5]));
    const l = await evaluated(leaver, maker);
    assert.deepEqual([l.verdict, l.evaluations[0].readings, l.evaluations[0].worstC, l.items[0].state], ['within_policy', 2, 5, 'active']);

    // The positive case: the pack still inside saw the excursion, and is quarantined for it.
    await upload(makerLogger, maker, stayer, readingsAfter(unpackedAt + 2000, [5]));
    const s = await evaluated(stayer, maker);
    assert.deepEqual([s.verdict, s.evaluations[0].readings, s.evaluations[0].worstC], ['broken', 4, 15]);
    await waitFor('the quarantine of the pack inside', async () => (await item(maker, stayer))?.state === 'quarantined');
  });
});
