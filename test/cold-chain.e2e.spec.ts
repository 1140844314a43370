// Cold-chain scenario tests, one per rule and named after it, end to end through the SDK against the real
// API and worker: uploads of signed readings, automatic quarantine by the worker (a system event signed
// with the ledger key), release, and the audit. Every refusal has its own code and stores nothing.
// Readings count only inside their custody window, which opens at real server times: readings meant to be
// judged are taken a second apart after the goods arrive (cold-chain-custody-window.e2e.spec.ts has the
// window's own scenarios).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { auditDatabase, withDatabaseSnapshot } from '@pharmatrace/audit';
import { fromBase64Url, SignedEvent, verifySignedEvent } from '@pharmatrace/ledger-core';
import { BlockSealer } from '@pharmatrace/ledger';
import {
  ColdChainEventTypes,
  MAX_READING_C,
  MAX_READING_OFFSET_SECONDS,
  MAX_READINGS_PER_EVENT,
  QuarantinedData,
} from '@pharmatrace/cold-chain/cold-chain-events';
import {
  item,
  LedgerClient,
  PharmaTraceClient,
  provenEvent,
  receive,
  recordReadings,
  recordSignedReadings,
  releaseQuarantine,
  ship,
  signReadings,
  temperatureHistory,
  TemperatureHistoryView,
  verifyEventInclusion,
} from '@pharmatrace/sdk';
import { startTestServer, TestServer, waitFor } from './support/test-server';
import { createTestNetwork, refusal, TestNetwork } from './support/test-network';
import {
  acceptedAt,
  coldProduct,
  deliveredPallet,
  palletOf,
  readingsAfter,
  readingsEvery,
  readingsUntil,
  registerLogger,
  repeat,
  taken,
  timeOf,
  windowedHistory,
} from './support/cold-chain-fixture';

type Delivered = Awaited<ReturnType<typeof deliveredPallet>>;

describe('cold chain', () => {
  let server: TestServer;
  let net: TestNetwork;
  let maker: PharmaTraceClient;
  let otherMaker: PharmaTraceClient;
  let wholesaler: PharmaTraceClient;
  let pharmacy: PharmaTraceClient;
  let prescriber: PharmaTraceClient;
  let logger: PharmaTraceClient;
  let fridgeBatch: string;
  /** A fridge product whose policy allows no time out of range: custody windows open in real time, so seconds must tell. */
  let strictBatch: string;
  let palletA: string;
  let palletAReceived: number;
  let forQuarantine: Delivered;
  let forRelease: Delivered;

  before(async () => {
    server = await startTestServer(undefined, { SEAL_DEBOUNCE_MS: '50' });
    net = await createTestNetwork(server);
    [maker, otherMaker, wholesaler, pharmacy, prescriber] = await Promise.all([
      net.join('manufacturer', 'cc-maker'), net.join('manufacturer', 'cc-other-maker'), net.join('wholesaler', 'cc-wholesaler'),
      net.join('pharmacy', 'cc-pharmacy'), net.join('prescriber', 'cc-prescriber'),
    ]);
    logger = await registerLogger(wholesaler);
    ({ batch: fridgeBatch } = await coldProduct(maker));
    ({ batch: strictBatch } = await coldProduct(maker, { excursionPolicy: { maxMinutesOutOfRange: 0, maxMktC: 8 } }));
    // Delivered up front, so that their custody windows are some seconds old when the tests record in them.
    forQuarantine = await deliveredPallet(maker, wholesaler, strictBatch);
    forRelease = await deliveredPallet(maker, wholesaler, strictBatch);
    const a = await deliveredPallet(maker, wholesaler, fridgeBatch);
    palletA = a.pallet;
    palletAReceived = await acceptedAt(server, a.received.seq);
  });
  after(async () => server?.close());

  /** Uploads the logger's readings through the wholesaler's gateway session. */
  const upload = (subject: string, readings: Parameters<typeof signReadings>[2], device = logger, gateway = wholesaler) =>
    recordSignedReadings(gateway, signReadings(device, subject, readings));

  async function refusedWithNothingStored(code: string, fn: () => Promise<unknown>) {
    const before = await server.eventCount();
    const r = await refusal(fn);
    assert.equal(r.code, code, r.message);
    assert.equal(await server.eventCount(), before, 'a refused call stores nothing');
    return r;
  }

  /** An upload refused as a whole: the code of the (first) bad event, and the reading it names. */
  async function rejectedUpload(fn: () => Promise<unknown>): Promise<{ code: string; reading: number | null }> {
    const r = await refusedWithNothingStored('BATCH_REJECTED', fn);
    const [first] = (r.details?.readings ?? []) as Array<{ code: string; reading: number | null }>;
    assert.ok(first, 'details.readings names the bad event');
    return first;
  }

  /**
   * A manufacturer releasing goods it has handed on, through the releaseQuarantine mutation. It can no longer
   * read their heads (the access model hides a former custodian's view of them), so the SDK's
   * releaseQuarantine would cite prev null and be refused STALE_PREV; the heads come from their holder.
   */
  async function releaseHeldBy(holder: PharmaTraceClient, by: PharmaTraceClient, items: string[], reason: string) {
    const heads = await holder.assetHeads(items);
    const signed = by.sign({ type: ColdChainEventTypes.released, assets: items.map((id) => ({ id, prev: heads.get(id) ?? null })), data: { v: 1, items, reason } });
    return by.query('mutation($i: SignedEventInput!) { releaseQuarantine(input: $i) { seq } }', { i: signed });
  }

  const evaluated = (subject: string, client = wholesaler): Promise<TemperatureHistoryView> =>
    waitFor(`the evaluation of ${subject}`, async () => {
      const h = await temperatureHistory(client, subject, { first: 0 });
      return !h.evaluationPending && h.evaluations.length > 0 ? h : null;
    });

  /**
   * `evaluated` for goods an excursion quarantines, checking every answer on the way: a broken verdict is
   * shown only on a quarantined item, never on one that could still be shipped (the worker stores it once
   * the quarantine has committed, and an answer is read from one snapshot).
   */
  const evaluatedHeld = (subject: string, client = wholesaler): Promise<TemperatureHistoryView> =>
    waitFor(`the evaluation of ${subject}`, async () => {
      const h = await temperatureHistory(client, subject, { first: 0 });
      for (const e of h.evaluations.filter((x) => x.verdict === 'broken')) {
        assert.equal(h.items.find((i) => i.id === e.subject)?.state, 'quarantined', `${e.subject} shown broken while not held (pending: ${h.evaluationPending})`);
      }
      return !h.evaluationPending && h.evaluations.length > 0 ? h : null;
    });

  it('readings recorded: 10,000 readings in one atomic call; only those taken in the custodian’s window count; within the policy nothing is quarantined', async () => {
    // A logger's buffer of 10,000 readings a second apart, read out now: the pallet reached the wholesaler a
    // few seconds ago, so only the last few were taken in its custody; the rest are kept but not judged.
    await new Promise((r) => setTimeout(r, Math.max(0, palletAReceived + 3000 - Date.now())));
    const readings = readingsUntil(Math.floor(Date.now() / 1000) * 1000, repeat(5, 10_000));
    const inWindow = readings.filter((r) => timeOf(r) >= palletAReceived).length;
    assert.ok(inWindow >= 3 && inWindow < 10_000);
    const receipts = await upload(palletA, readings);
    assert.equal(receipts.length, 10, 'ten events of 1,000 readings');
    assert.ok(receipts.every((r) => r.type === ColdChainEventTypes.readingsRecorded && r.result.recorded === 1000));
    const h = await evaluated(palletA);
    assert.equal(h.readingCount, 10_000);
    assert.equal(h.verdict, 'within_policy');
    const [e] = h.evaluations;
    assert.equal(e.readings, inWindow);
    assert.equal(e.minutesOutOfRange, 0);
    assert.ok(e.mktC !== null && Math.abs(e.mktC - 5) < 1e-9, 'MKT of a constant 5 °C is 5 °C');
    assert.equal(Date.parse(e.windowFrom ?? ''), timeOf(readings[10_000 - inWindow]), 'the window starts at the first reading in custody');
    const w = await windowedHistory(wholesaler, palletA);
    assert.equal(w.excludedReadingCount, 10_000 - inWindow);
    assert.deepEqual(
      w.readings.map((r) => r.counted),
      readings.map((r) => timeOf(r) >= palletAReceived),
    );
    assert.equal((await item(wholesaler, palletA))?.state, 'active');
  });

  it('readings recorded: one bad reading refuses the whole upload, named by its position; nothing is stored', async () => {
    const readings = readingsEvery(1, repeat(5, 10_000), 20_000 * 60);
    readings[4417] = { ...readings[4417], celsius: 250 };
    const before = (await temperatureHistory(wholesaler, palletA, { first: 0 })).readingCount;
    const bad = await rejectedUpload(() => upload(palletA, readings));
    assert.deepEqual(bad, { ...bad, code: 'INVALID_EVENT_DATA', reading: 4417 });
    assert.equal((await temperatureHistory(wholesaler, palletA, { first: 0 })).readingCount, before);
    // More than 10,000 readings is several calls: one call holds the log for as long as it takes.
    await refusedWithNothingStored('BATCH_TOO_LARGE', () => upload(palletA, readingsEvery(1, repeat(5, 10_001), 40_000 * 60)));
  });

  it('readings recorded: only loggers or operators of the custodian; never in the future, never rewritten', async () => {
    const some = () => readingsEvery(5, [5, 5, 5], 3600 * 24 * 30);
    assert.equal((await rejectedUpload(() => upload(palletA, some(), pharmacy, pharmacy))).code, 'NOT_CUSTODIAN');
    const terminal = await registerLogger(wholesaler, 'terminal');
    assert.equal((await rejectedUpload(() => upload(palletA, some(), terminal))).code, 'KEY_KIND_NOT_ALLOWED');
    await refusedWithNothingStored('FORBIDDEN_ROLE', () => recordReadings(prescriber, palletA, some()));
    const future = [{ at: new Date(Date.now() + 3600_000), celsius: 5 }];
    assert.equal((await rejectedUpload(() => upload(palletA, future))).code, 'READING_IN_FUTURE');
    assert.equal((await rejectedUpload(() => upload('sscc:000000000000000000', some()))).code, 'UNKNOWN_ITEM');

    // The operator key may upload too; a re-sent reading is kept once, a changed one is refused.
    const once = readingsEvery(5, [4, 4], 3600 * 24 * 40);
    const [first] = await recordReadings(wholesaler, palletA, once);
    assert.equal(first.result.recorded, 2);
    const [again] = await recordReadings(wholesaler, palletA, once);
    assert.equal(again.result.recorded, 0);
    const changed = once.map((r) => ({ ...r, celsius: 6 }));
    assert.equal((await rejectedUpload(() => recordReadings(wholesaler, palletA, changed))).code, 'READING_CONFLICT');
  });

  it('readings recorded: every per-event limit holds whichever mutation carries the event (submitEvents too); nothing is stored', async () => {
    const hourAgo = Date.now() - 3600_000;
    const event = (readings: Array<[number, number]>, start = hourAgo) =>
      logger.sign({ type: ColdChainEventTypes.readingsRecorded, assets: [], data: { v: 1, subject: palletA, start: new Date(start).toISOString(), readings } });
    const overLimit: Array<[string, SignedEvent]> = [
      ['more readings than one event holds', event(Array.from({ length: MAX_READINGS_PER_EVENT + 1 }, (_, i): [number, number] => [i, 5]))],
      ['an offset beyond a year', event([[0, 5], [MAX_READING_OFFSET_SECONDS + 1, 5]], Date.now() - (MAX_READING_OFFSET_SECONDS + 3600) * 1000)],
      ['an implausible temperature', event([[0, 5], [60, MAX_READING_C + 1]])],
    ];
    const stored = (await temperatureHistory(wholesaler, palletA, { first: 0 })).readingCount;
    for (const [what, signed] of overLimit) {
      const viaUpload = await rejectedUpload(() => recordSignedReadings(wholesaler, [signed]));
      const viaBatch = await refusedWithNothingStored('BATCH_REJECTED', () => wholesaler.submitMany([signed]));
      const [inBatch] = (viaBatch.details?.errors ?? []) as Array<{ index: number; code: string }>;
      const viaOne = await refusedWithNothingStored(viaUpload.code, () => wholesaler.submit(signed));
      assert.equal(viaUpload.code, 'INVALID_EVENT_DATA', what);
      assert.deepEqual(inBatch, { ...inBatch, index: 0, code: viaUpload.code }, `${what}: submitEvents refuses it as recordReadings does`);
      assert.match(viaOne.message, /data\.readings/, what);
    }
    assert.equal((await temperatureHistory(wholesaler, palletA, { first: 0 })).readingCount, stored);
  });

  it('quarantined: an excursion quarantines the item automatically, signed by the ledger key, sealed and verifiable', async () => {
    const { pallet, received } = forQuarantine;
    // A reading a second for 8 s in the wholesaler's custody: 3 at 5 °C, 2 at 15 °C, 3 at 5 °C. Out of range:
    // 2 readings × 1 s = 2 s, over the policy's 0 min. MKT (equal weights, 6 : 2, the same 3 : 1 as 54 : 18):
    // a = 10000/278.15 = 35.95182, b = 10000/288.15 = 34.70415, e^−(a−b) = 0.28716,
    // mean = e^−b · (6 · 0.28716 + 2)/8 = e^−b · 0.46537, ln = −0.76492,
    // MKT = 10000/(34.70415 + 0.76492) = 281.936 K = 8.79 °C > 8.
    await upload(pallet, await taken(readingsAfter(await acceptedAt(server, received.seq), [5, 5, 5, 15, 15, 5, 5, 5])));
    const h = await evaluatedHeld(pallet);
    assert.equal(h.verdict, 'broken');
    const [e] = h.evaluations;
    assert.ok(Math.abs(e.minutesOutOfRange - 2 / 60) < 1e-9, `${e.minutesOutOfRange} min out of range`);
    assert.equal(e.worstC, 15);
    assert.ok(e.mktC !== null && Math.abs(e.mktC - 8.79) < 0.005, `MKT ${e.mktC}`);
    assert.deepEqual(e.breaches, ['TIME_OUT_OF_RANGE', 'MKT_ABOVE_LIMIT']);
    assert.equal(h.items[0].state, 'quarantined');
    assert.ok(e.quarantineHash);

    await server.worker.get(BlockSealer).sealPending();
    const proven = await provenEvent(wholesaler, e.quarantineHash);
    assert.ok(proven?.block);
    const [ledgerKey] = await new LedgerClient(server.url).ledgerKeys();
    const event = proven.event as unknown as { actor: string; kid: string; assets: Array<{ id: string }>; data: QuarantinedData };
    assert.deepEqual([event.actor, event.kid, event.assets.map((a) => a.id)], ['ledger', ledgerKey.kid, [pallet]]);
    assert.equal(event.data.evaluation.minutesOutOfRange, 0.03);
    const { sig } = proven as typeof proven & { sig: string }; // provenEvent asks for the stored signature too
    assert.equal(verifySignedEvent({ event: proven.event, sig }, fromBase64Url(ledgerKey.publicKey)).ok, true);
    assert.deepEqual(verifyEventInclusion(proven, proven.block, ledgerKey.publicKey), { ok: true });

    // Quarantined goods are not shipped on (the custody rules read the state).
    await refusedWithNothingStored('ITEM_NOT_AVAILABLE', () => ship(wholesaler, pharmacy.participantId, [pallet]));
  });

  it('quarantined: only the ledger signs it; no participant can, nor impersonate the ledger', async () => {
    const { pallet } = await deliveredPallet(maker, wholesaler, fridgeBatch);
    const figures = {
      subject: pallet, product: '0'.repeat(14), policy: { minC: 2, maxC: 8, maxMinutesOutOfRange: 60, maxMktC: 8 },
      window: { from: '2026-01-01T00:00:00.000Z', to: '2026-01-01T01:00:00.000Z' }, readings: 2, minutesOutOfRange: 61, worstC: 12, mktC: 9, breaches: ['TIME_OUT_OF_RANGE'],
    };
    const data = { v: 1, items: [pallet], reason: 'forged', evaluation: figures };
    await refusedWithNothingStored('FORBIDDEN_ROLE', async () => wholesaler.submit(await wholesaler.signWithHeads(ColdChainEventTypes.quarantined, [pallet], data)));
    const asLedger = await wholesaler.signWithHeads(ColdChainEventTypes.quarantined, [pallet], data);
    await refusedWithNothingStored('ACTOR_MISMATCH', () => wholesaler.submit({ ...asLedger, event: { ...asLedger.event, actor: 'ledger' } }));
  });

  it('released: the manufacturer releases; a pharmacy or another manufacturer cannot; readings before the release stay reviewed', async () => {
    const { pallet, received } = forRelease;
    await upload(pallet, await taken(readingsAfter(await acceptedAt(server, received.seq), [5, 12, 12, 5])));
    await waitFor('the quarantine', async () => (await item(wholesaler, pallet))?.state === 'quarantined');

    await refusedWithNothingStored('FORBIDDEN_ROLE', () => releaseQuarantine(pharmacy, [pallet], 'looks fine'));
    await refusedWithNothingStored('FORBIDDEN_ROLE', async () => pharmacy.submit(await pharmacy.signWithHeads(ColdChainEventTypes.released, [pallet], { v: 1, items: [pallet], reason: 'x' })));
    // Another manufacturer cannot read the pallet's head (it never held it), so it signs with one learnt from its holder.
    const head = await wholesaler.assetHead(pallet);
    const notMine = otherMaker.sign({ type: ColdChainEventTypes.released, assets: [{ id: pallet, prev: head }], data: { v: 1, items: [pallet], reason: 'not mine' } });
    await refusedWithNothingStored('NOT_PRODUCT_OWNER', () => otherMaker.submit(notMine));
    await releaseHeldBy(wholesaler, maker, [pallet], 'stability data cover 2 s at 12 °C');
    assert.equal((await item(wholesaler, pallet))?.state, 'active');
    await refusedWithNothingStored('NOT_QUARANTINED', () => releaseHeldBy(wholesaler, maker, [pallet], 'again'));

    // New readings are judged from the release on: the reviewed excursion does not quarantine again.
    await new Promise((r) => setTimeout(r, 1000));
    await upload(pallet, [{ at: new Date(Date.now() - 200), celsius: 5 }]);
    const h = await evaluated(pallet);
    assert.deepEqual([h.verdict, h.evaluations[0].readings, h.items[0].state], ['within_policy', 1, 'active']);
    await ship(wholesaler, pharmacy.participantId, [pallet]);
  });

  it('quarantined in transit: a shipment’s readings quarantine its items; the recipient receives them still quarantined', async () => {
    // A room-temperature product: 15–30 °C, MKT at most 25 °C. Readings at 29 °C never leave the range,
    // but the MKT of a constant 29 °C is 29 °C (10000/302.15 K ⇒ 302.15 K ⇒ 29 °C) > 25.
    const { batch } = await coldProduct(maker, { storage: { minC: 15, maxC: 30 }, excursionPolicy: { maxMinutesOutOfRange: 120, maxMktC: 25 } });
    const { pallet } = await palletOf(maker, batch);
    const { shipment, receipt } = await ship(maker, wholesaler.participantId, [pallet]);
    assert.equal((await rejectedUpload(() => recordReadings(pharmacy, shipment, readingsEvery(30, [29])))).code, 'NOT_CUSTODIAN');
    // Four readings a second apart, taken after shipping: readings before it would not count.
    await recordReadings(maker, shipment, await taken(readingsAfter(await acceptedAt(server, receipt.seq), repeat(29, 4))));
    const h = await evaluatedHeld(shipment, maker);
    assert.deepEqual([h.verdict, h.evaluations[0].subject, h.evaluations[0].breaches], ['broken', pallet, ['MKT_ABOVE_LIMIT']]);
    assert.ok(Math.abs((h.evaluations[0].mktC ?? 0) - 29) < 1e-9);
    assert.equal(h.items[0].state, 'quarantined');

    await receive(wholesaler, shipment);
    const received = await item(wholesaler, pallet);
    assert.deepEqual([received?.state, received?.custodianId], ['quarantined', wholesaler.participantId]);
    await releaseQuarantine(net.regulator, [pallet], 'regulator: stability study covers it');
    assert.equal((await item(wholesaler, pallet))?.state, 'active');
  });

  it('audit: the ledger with readings, system-signed quarantines and releases replays clean', async () => {
    await server.worker.get(BlockSealer).sealPending();
    const report = await withDatabaseSnapshot(server.runtime.dataSource, (db) => auditDatabase(db));
    assert.equal(report.ok, true, report.ok ? '' : `${report.failure.code}: ${report.failure.where} — ${report.failure.why}`);
  });
});
