// Recalls (issue 9), end to end through the SDK against the real API: a regulator's recall of a batch and of
// an ingredient lot, a manufacturer's voluntary recall, amendments and the close, and every place a recalled
// good is blocked (shipping, dispensing, decommissioning, commissioning, batch registration, the verdict).
// Every refusal asserts its code and that nothing was stored. Acknowledgements need the notifications the
// worker writes (libs/notifications): the test waits for the pharmacy's, as its systems would.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { auditDatabase, withDatabaseSnapshot } from '@pharmatrace/audit';
import { packAssetId } from '@pharmatrace/custody/custody-events';
import {
  acknowledgeRecall, amendRecall, closeRecall, commissionPacks, decommission, dispense, getRecall, initiateRecall, issuePrescription, listRecalls, myRecallNotifications, pack,
  patientPseudonym, PharmaTraceClient, receive, RECEIPT_FIELDS, registerBatch, registerIngredientLot, registerProduct, ship, undoDispense, verifyPack,
} from '@pharmatrace/sdk';
import { startTestServer, TestServer, waitFor } from './support/test-server';
import { createTestNetwork, refusedWithNothingStored as storedNothing, TestNetwork } from './support/test-network';
import { newGtin, newSscc, productSpec } from './support/custody-fixture';

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const DATES = { manufacturedOn: '2026-01-10', expiresOn: '2028-01-31' };
const CERT = { sha256: 'b'.repeat(64), issuer: 'Andes Chamber of Commerce', countryOfOrigin: 'CL', issuedOn: '2026-01-05' };
const INSTRUCTIONS = 'Stop supplying; quarantine all stock and return it to the manufacturer.';
const SECRET = randomBytes(32);

describe('recalls', () => {
  let server: TestServer;
  let net: TestNetwork;
  let regulator: PharmaTraceClient;
  let maker: PharmaTraceClient;
  let otherMaker: PharmaTraceClient;
  let supplier: PharmaTraceClient;
  let wholesaler: PharmaTraceClient;
  let pharmacy: PharmaTraceClient;
  let stranger: PharmaTraceClient;
  let dr: PharmaTraceClient;
  let gtin: string;
  let lotCounter = 0;
  const patient = patientPseudonym(SECRET, 'RC-123456-A');

  const refusedWithNothingStored = (code: string, fn: () => Promise<unknown>) => storedNothing(server, code, fn);
  const db = <T = unknown>(sql: string, params: unknown[] = []): Promise<T[]> => server.runtime.dataSource.query(sql, params);
  const stateOf = async (id: string): Promise<string> => (await db<{ state: string }>('SELECT state FROM custody_items WHERE id = $1', [id]))[0].state;
  const statesOf = async (ids: string[]): Promise<string[]> => Promise.all(ids.map(stateOf));
  const newBatch = async (client: PharmaTraceClient, g = gtin, lots: string[] = []): Promise<string> =>
    (await registerBatch(client, { gtin: g, lot: `RC${Date.now() % 1e5}${lotCounter++}`, quantity: 100, ...DATES }, lots)).id;
  const packsOf = async (batch: string, n: number, g = gtin): Promise<string[]> => (await commissionPacks(maker, batch, n)).serials.map((s) => packAssetId(g, s));
  const scanOf = (id: string): string => `01${id.slice(6, 20)}21${id.slice(21)}`;
  async function deliver(to: PharmaTraceClient, items: string[], from = maker): Promise<void> {
    const { shipment } = await ship(from, to.participantId, items);
    await receive(to, shipment);
  }
  const rx = async (): Promise<string> =>
    (await issuePrescription(dr, { patient, product: { gtin }, quantity: 1, refills: 0, validFrom: day(0), validUntil: day(90), controlledClass: 'none' })).id;
  /** A hand-built event, for shapes the SDK would never send. */
  const raw = (client: PharmaTraceClient, mutation: string, type: string, assets: Array<{ id: string; prev: string | null }>, data: { v: 1; [field: string]: unknown }) =>
    client.query(`mutation($i: SignedEventInput!) { ${mutation}(input: $i) { ${RECEIPT_FIELDS} } }`, { i: client.sign({ type, assets, data }) });

  before(async () => {
    server = await startTestServer();
    net = await createTestNetwork(server);
    regulator = net.regulator;
    [maker, otherMaker, supplier, wholesaler, pharmacy, stranger, dr] = await Promise.all([
      net.join('manufacturer', 'rc-maker'), net.join('manufacturer', 'rc-other-maker'), net.join('supplier', 'rc-supplier'), net.join('wholesaler', 'rc-wholesaler'),
      net.join('pharmacy', 'rc-pharmacy'), net.join('pharmacy', 'rc-stranger'), net.join('prescriber', 'rc-dr'),
    ]);
    gtin = newGtin();
    await registerProduct(maker, productSpec(gtin));
  });
  after(async () => server?.close());

  describe('a regulator recalls a batch', () => {
    let batch: string;
    let recall: string;
    /** a0–a2 loose at the wholesaler, a3–a4 in case c1 there, a5 in case c2 in pallet p there; a6 supplied, a7–a8 at the pharmacy; a9 at the maker. */
    let a: string[];
    let c1: string;
    let p: string;
    let supplied: { hash: string };

    before(async () => {
      batch = await newBatch(maker);
      a = await packsOf(batch, 10);
      [c1, p] = [newSscc(), newSscc()];
      const c2 = newSscc();
      await pack(maker, { id: c1, kind: 'case' }, [a[3], a[4]], { newContainer: true });
      await pack(maker, { id: c2, kind: 'case' }, [a[5]], { newContainer: true });
      await pack(maker, { id: p, kind: 'pallet' }, [c2], { newContainer: true });
      await deliver(wholesaler, [a[0], a[1], a[2], c1, p]);
      await deliver(pharmacy, [a[6], a[7], a[8]]);
      supplied = await dispense(pharmacy, { prescription: await rx(), patient, scans: [scanOf(a[6])] });
      const r = await initiateRecall(regulator, { class: 'I', reason: 'out-of-specification assay result', instructions: INSTRUCTIONS, notifyPatients: true, batches: [batch] });
      recall = r.recall;
      assert.match(recall, /^recall:/);
      assert.deepEqual(r.receipt.result, { recall, batches: 1, packsRecalled: 9, revision: 1 });
    });

    it('every pack still in the chain is recalled; the supplied one keeps its state', async () => {
      assert.deepEqual(await statesOf(a), ['recalled', 'recalled', 'recalled', 'recalled', 'recalled', 'recalled', 'supplied', 'recalled', 'recalled', 'recalled']);
      const [rev] = await db<{ kind: string; fanned_out_at: string | null }>('SELECT kind, fanned_out_at FROM recall_revisions WHERE recall_id = $1', [recall]);
      assert.equal(rev.kind, 'initiated');
    });

    it('verdict: RECALLED with the class and instructions, and the recall; a supplied pack shows ALREADY_SUPPLIED and RECALLED', async () => {
      const v = await verifyPack(pharmacy, scanOf(a[7]));
      assert.deepEqual([v.fitToDispense, v.status, v.reasons.map((x) => x.code)], [false, 'recalled', ['RECALLED']]);
      assert.match(v.reasons[0].message, /class I/);
      assert.ok(v.reasons[0].message.includes(INSTRUCTIONS));
      assert.deepEqual([v.recall?.id, v.recall?.class, v.recall?.instructions, v.recall?.notifyPatients], [recall, 'I', INSTRUCTIONS, true]);
      const s = await verifyPack(pharmacy, scanOf(a[6]));
      assert.deepEqual([s.status, s.reasons.map((x) => x.code)], ['supplied', ['ALREADY_SUPPLIED', 'RECALLED']]);
    });

    it('acknowledgement: the pharmacy holding recalled packs is notified, then sees the recall and acknowledges revision 1, once', async () => {
      const n = await waitFor('the pharmacy to be notified', async () => (await myRecallNotifications(pharmacy)).find((x) => x.recall === recall && x.revision === 1));
      assert.equal(n.instructions, INSTRUCTIONS);
      assert.equal((await getRecall(pharmacy, recall))?.id, recall, 'a notified holder sees the recall');
      const other = await refusedWithNothingStored('NOT_NOTIFIED', () => acknowledgeRecall(pharmacy, recall, 2));
      assert.match(other.message, /notified of revision\(s\) 1 /);
      const receipt = await acknowledgeRecall(pharmacy, recall, 1);
      assert.deepEqual(receipt.result, { recall, revision: 1, acknowledged: true });
      await refusedWithNothingStored('ALREADY_ACKNOWLEDGED', () => acknowledgeRecall(pharmacy, recall, 1));
      await refusedWithNothingStored('UNKNOWN_RECALL', () => acknowledgeRecall(stranger, recall, 1));
    });

    it('shipping: a recalled pack, a case holding one, and a pallet holding such a case are refused; returned to the manufacturer they travel', async () => {
      const loose = await refusedWithNothingStored('ITEM_NOT_AVAILABLE', () => ship(wholesaler, pharmacy.participantId, [a[0]]));
      assert.match(loose.message, /recalled \(it can only be returned to its manufacturer or destroyed\)/);
      const inCase = await refusedWithNothingStored('ITEM_NOT_AVAILABLE', () => ship(wholesaler, pharmacy.participantId, [c1]));
      assert.match(inCase.message, /packed inside, is recalled/);
      await refusedWithNothingStored('ITEM_NOT_AVAILABLE', () => ship(wholesaler, pharmacy.participantId, [p]));
      const { shipment } = await ship(wholesaler, maker.participantId, [a[0], c1, p]);
      await receive(maker, shipment);
      const [row] = await db<{ custodian_id: string }>('SELECT custodian_id FROM custody_items WHERE id = $1', [a[0]]);
      assert.equal(row.custodian_id, maker.participantId);
      assert.deepEqual(await statesOf([a[0], a[3], a[5]]), ['recalled', 'recalled', 'recalled'], 'returned goods stay recalled');
    });

    it('dispensing a recalled pack: RECALLED, the sentence carrying the instructions', async () => {
      const prescription = await rx();
      const r = await refusedWithNothingStored('RECALLED', () => dispense(pharmacy, { prescription, patient, scans: [scanOf(a[7])] }));
      assert.ok(r.message.includes(INSTRUCTIONS), r.message);
      assert.equal(await stateOf(a[7]), 'recalled');
    });

    it('decommissioning: locked and stolen refused RECALLED; destruction allowed', async () => {
      await refusedWithNothingStored('RECALLED', () => decommission(pharmacy, 'locked', [a[8]], 'investigation'));
      await refusedWithNothingStored('RECALLED', () => decommission(pharmacy, 'exported', [a[8]], 'left the market'));
      const stolen = await refusedWithNothingStored('RECALLED', () => decommission(pharmacy, 'stolen', [a[8]], 'break-in'));
      assert.match(stolen.message, /returned to its manufacturer or destroyed/);
      await decommission(pharmacy, 'destroyed', [a[8]], 'destroyed under the recall');
      assert.equal(await stateOf(a[8]), 'destroyed');
    });

    it('undo of a supply of a pack whose batch is recalled: RECALLED, though the pack is still supplied', async () => {
      const r = await refusedWithNothingStored('RECALLED', () => undoDispense(pharmacy, supplied.hash, [a[6]]));
      assert.ok(r.message.includes(recall), r.message);
      assert.equal(await stateOf(a[6]), 'supplied');
    });

    it('commissioning into the recalled batch: BATCH_RECALLED; the same recall id again: ALREADY_REGISTERED', async () => {
      const r = await refusedWithNothingStored('BATCH_RECALLED', () => commissionPacks(maker, batch, 1));
      assert.match(r.message, /register a new batch/);
      await refusedWithNothingStored('ALREADY_REGISTERED', () =>
        initiateRecall(regulator, { recall, class: 'I', reason: 'again', instructions: INSTRUCTIONS, notifyPatients: false, batches: [batch] }),
      );
    });
  });

  it('an ingredient lot recall reaches every batch that consumed it and only those; a later batch may not consume it', async () => {
    const { id: l1 } = await registerIngredientLot(supplier, { number: `RC-API-${lotCounter++}`, material: 'insulin glargine (API)', quantity: 10, unit: 'kg', certificate: CERT });
    const { id: l2 } = await registerIngredientLot(supplier, { number: `RC-API-${lotCounter++}`, material: 'metacresol', quantity: 5, unit: 'kg', certificate: CERT });
    await deliver(maker, [l1, l2], supplier);
    const [b1, b2, b3] = [await newBatch(maker, gtin, [l1]), await newBatch(maker, gtin, [l1, l2]), await newBatch(maker, gtin, [l2])];
    const [p1, p3] = [await packsOf(b1, 2), await packsOf(b3, 2)];
    await refusedWithNothingStored('FORBIDDEN_ROLE', () =>
      initiateRecall(maker, { class: 'II', reason: 'supplier notice', instructions: INSTRUCTIONS, notifyPatients: false, ingredientLots: [l1] }),
    );
    const { recall, receipt } = await initiateRecall(regulator, { class: 'II', reason: 'API contaminated at the supplier', instructions: INSTRUCTIONS, notifyPatients: false, ingredientLots: [l1] });
    assert.deepEqual(receipt.result, { recall, batches: 2, packsRecalled: 2, revision: 1 });
    assert.deepEqual(await statesOf([...p1, ...p3, l1, l2]), ['recalled', 'recalled', 'active', 'active', 'recalled', 'active']);
    const seen = await getRecall(maker, recall);
    assert.deepEqual(seen?.batches?.map((b) => [b.batchId, b.viaIngredientLot]).sort(), [[b1, l1], [b2, l1]].sort());
    assert.deepEqual(seen?.ingredientLots?.map((l) => l.ingredientLotId), [l1]);
    const later = await refusedWithNothingStored('INGREDIENT_LOT_RECALLED', () => newBatch(maker, gtin, [l1]));
    assert.ok(later.message.includes(recall));
    const shipped = await refusedWithNothingStored('ITEM_NOT_AVAILABLE', () => ship(maker, otherMaker.participantId, [l1]));
    assert.match(shipped.message, /a recalled ingredient lot can only be destroyed/);
    await newBatch(maker, gtin, [l2]);
  });

  describe('a manufacturer’s voluntary recall', () => {
    let batch: string;
    let recall: string;
    let packs: string[];

    before(async () => {
      batch = await newBatch(maker);
      packs = await packsOf(batch, 3);
    });

    it('of its own batch works; of another’s batch NOT_PRODUCT_OWNER; of an unknown one UNKNOWN_BATCH; bad input INVALID_EVENT_DATA', async () => {
      const spec = { class: 'II' as const, reason: 'label misprint', instructions: 'Return to the manufacturer.', notifyPatients: false };
      const foreign = await refusedWithNothingStored('NOT_PRODUCT_OWNER', () => initiateRecall(otherMaker, { ...spec, batches: [batch] }));
      assert.ok(foreign.message.includes(batch) && /ask a regulator/.test(foreign.message));
      const unknown = `batch:${gtin}/NO-SUCH-LOT`;
      const missing = await refusedWithNothingStored('UNKNOWN_BATCH', () => initiateRecall(maker, { ...spec, batches: [unknown] }));
      assert.ok(missing.message.includes(unknown));
      await refusedWithNothingStored('INVALID_EVENT_DATA', () => initiateRecall(maker, { ...spec, batches: [] }));
      await refusedWithNothingStored('INVALID_EVENT_DATA', () => initiateRecall(maker, { ...spec, batches: [batch, batch] }));
      await refusedWithNothingStored('INVALID_EVENT_DATA', () => initiateRecall(maker, { ...spec, instructions: '   ', batches: [batch] }));
      const id = `recall:${randomBytes(8).toString('hex')}`;
      const bad = await refusedWithNothingStored('INVALID_EVENT_DATA', () =>
        raw(maker, 'initiateRecall', 'recall.initiated', [{ id, prev: null }], { v: 1, recall: id, ...spec, class: 'IV', batches: [batch], ingredientLots: [] }),
      );
      assert.match(bad.message, /data\.class must be one of I, II, III/);
      await refusedWithNothingStored('FORBIDDEN_ROLE', () => initiateRecall(wholesaler, { ...spec, batches: [batch] }));
      assert.deepEqual(await statesOf(packs), ['active', 'active', 'active'], 'refusals changed nothing');
      const r = await initiateRecall(maker, { ...spec, batches: [batch] });
      recall = r.recall;
      assert.equal(r.receipt.result.packsRecalled, 3);
    });

    it('an amendment adds a batch and new instructions (the verdict shows them); one that changes nothing, or by a stranger, is refused', async () => {
      const more = await newBatch(maker);
      const [extra] = await packsOf(more, 1);
      await refusedWithNothingStored('UNKNOWN_RECALL', () => amendRecall(otherMaker, recall, { instructions: 'x' }));
      await refusedWithNothingStored('INVALID_EVENT_DATA', () => amendRecall(maker, recall, { addBatches: [batch] }));
      const receipt = await amendRecall(maker, recall, { addBatches: [more], instructions: 'Destroy on site and report the count.' });
      assert.deepEqual(receipt.result, { recall, revision: 2, batches: 1, packsRecalled: 1, class: 'II', instructionsChanged: true });
      assert.equal(await stateOf(extra), 'recalled');
      const v = await verifyPack(maker, scanOf(packs[0]));
      assert.match(v.reasons[0].message, /Destroy on site and report the count\./);
      assert.equal(v.recall?.instructions, 'Destroy on site and report the count.');
      const seen = await getRecall(maker, recall);
      assert.deepEqual(seen?.revisions?.map((x) => [x.revision, x.kind]), [[1, 'initiated'], [2, 'amended']]);
    });

    it('closing: by the regulator; packs stay recalled; a closed recall cannot be amended or closed again (RECALL_CLOSED)', async () => {
      const receipt = await closeRecall(regulator, recall, 'all reachable stock returned and destroyed');
      assert.deepEqual(receipt.result, { recall, revision: 3, state: 'closed' });
      assert.deepEqual(await statesOf(packs), ['recalled', 'recalled', 'recalled']);
      const r = await refusedWithNothingStored('RECALL_CLOSED', () => amendRecall(maker, recall, { instructions: 'too late' }));
      assert.match(r.message, /Initiate a new recall/);
      await refusedWithNothingStored('RECALL_CLOSED', () => closeRecall(maker, recall, 'again'));
      const v = await verifyPack(maker, scanOf(packs[1]));
      assert.deepEqual(v.reasons.map((x) => x.code), ['RECALLED'], 'a closed recall still recalls');
      const seen = await getRecall(regulator, recall);
      assert.deepEqual([seen?.state, seen?.closeSummary, seen?.revision], ['closed', 'all reachable stock returned and destroyed', 3]);
      // The maker holds the recalled packs, so it was notified of revision 1; once closed, only the close is acknowledged.
      await waitFor('the maker to be notified', async () => (await myRecallNotifications(maker)).find((x) => x.recall === recall && x.revision === 1));
      const early = await refusedWithNothingStored('RECALL_CLOSED', () => acknowledgeRecall(maker, recall, 1));
      assert.match(early.message, /acknowledge the close, revision 3/);
    });

    it('visibility: the initiator, a regulator and the manufacturer see it; a stranger gets null, like an unknown id, and no list entry', async () => {
      assert.equal((await getRecall(maker, recall))?.id, recall);
      assert.equal((await getRecall(regulator, recall))?.initiatorId, maker.participantId);
      assert.equal(await getRecall(stranger, recall), null);
      assert.equal(await getRecall(stranger, 'recall:does-not-exist'), null);
      assert.deepEqual(await listRecalls(stranger), []);
      const mine = await listRecalls(maker);
      assert.ok(mine.some((x) => x.id === recall));
      assert.ok(!(await listRecalls(otherMaker)).some((x) => x.id === recall));
      const all = await listRecalls(regulator, { first: 100 });
      assert.ok(all.length >= 3 && all.some((x) => x.id === recall));
      assert.deepEqual((await listRecalls(regulator, { state: 'closed' })).map((x) => x.id), [recall]);
      const page = await listRecalls(regulator, { first: 1 });
      assert.equal((await listRecalls(regulator, { first: 1, after: page[0].id }))[0]?.id, all[1].id);
      const head = await stranger.query<{ assetHead: string | null }>('query($a: String!) { assetHead(assetId: $a) }', { a: recall });
      assert.equal(head.assetHead, null);
    });

    it('acknowledging: refused for a participant never notified (UNKNOWN_RECALL) and for a role that holds no goods', async () => {
      const r = await refusedWithNothingStored('UNKNOWN_RECALL', () => acknowledgeRecall(stranger, recall, 1));
      assert.equal(r.message, `No recall ${recall} exists; check the id (recall:<id>) in the notice you received.`);
      await refusedWithNothingStored('FORBIDDEN_ROLE', () => acknowledgeRecall(dr, recall, 1));
      await refusedWithNothingStored('INVALID_EVENT_DATA', () => raw(pharmacy, 'acknowledgeRecall', 'recall.acknowledged', [], { v: 1, recall, revision: 0 }));
    });
  });

  it('a voluntary recall a regulator widened to another manufacturer’s batch: the regulator steers it, the initiator may no longer amend or close it', async () => {
    const spec = { class: 'II' as const, reason: 'label misprint', instructions: 'Return to the manufacturer.', notifyPatients: false };
    const [own, ownMore] = [await newBatch(maker), await newBatch(maker)];
    const otherGtin = newGtin();
    await registerProduct(otherMaker, productSpec(otherGtin));
    const foreign = await newBatch(otherMaker, otherGtin);
    const { recall } = await initiateRecall(maker, { ...spec, batches: [own] });
    // More of the maker's own batches keep it voluntary: the maker still steers it.
    await amendRecall(regulator, recall, { addBatches: [ownMore] });
    await amendRecall(maker, recall, { instructions: 'Return to the manufacturer; keep the labels.' });
    await amendRecall(regulator, recall, { addBatches: [foreign] });
    for (const attempt of [() => amendRecall(maker, recall, { instructions: 'Destroy on site.' }), () => amendRecall(maker, recall, { class: 'I' }), () => closeRecall(maker, recall, 'all returned')]) {
      const r = await refusedWithNothingStored('FORBIDDEN_ROLE', attempt);
      assert.ok(r.message.includes(foreign) && r.message.includes(otherMaker.participantId), r.message);
      assert.match(r.message, /a regulator now steers it/);
    }
    const seen = await getRecall(regulator, recall);
    assert.deepEqual([seen?.revision, seen?.class, seen?.state], [4, 'II', 'open'], 'the refusals changed nothing');
    // The other manufacturer sees it (its batch is covered) and is refused the same way it always was.
    await refusedWithNothingStored('FORBIDDEN_ROLE', () => closeRecall(otherMaker, recall, 'mine too'));
    assert.equal((await amendRecall(regulator, recall, { class: 'I' })).result.revision, 5);
    assert.equal((await closeRecall(regulator, recall, 'all returned')).result.revision, 6);
  });

  it('the audit replays the whole log, recall events included', async () => {
    const report = await withDatabaseSnapshot(server.runtime.dataSource, (d) => auditDatabase(d));
    assert.equal(report.ok, true, report.ok ? '' : `${report.failure.code}: ${report.failure.where} — ${report.failure.why}`);
  });
});
