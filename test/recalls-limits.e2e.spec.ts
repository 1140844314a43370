// The limits of one recall (libs/recalls/src/recall-events.ts): MAX_RECALL_BATCHES batches in total, named or
// reached through ingredient lots, MAX_RECALL_INGREDIENT_LOTS lots and MAX_RECALL_REVISIONS revisions with the
// close, so that `recall(id)` lists stay bounded. An amendment past one is refused with INVALID_EVENT_DATA and
// a sentence saying to start a new recall; nothing is stored. Events are signed here and sent in batches.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { auditDatabase, withDatabaseSnapshot } from '@pharmatrace/audit';
import { eventHash } from '@pharmatrace/ledger-core';
import { batchAssetId, BatchRegisteredData, CatalogEventTypes, ingredientLotAssetId, IngredientLotRegisteredData, productAssetId } from '@pharmatrace/custody/custody-events';
import { MAX_RECALL_BATCHES, MAX_RECALL_INGREDIENT_LOTS, MAX_RECALL_REVISIONS, RecallAmendedData, RecallEventTypes } from '@pharmatrace/recalls/recall-events';
import { amendRecall, closeRecall, getRecall, initiateRecall, PharmaTraceClient, receive, registerBatch, registerIngredientLot, registerProduct, ship } from '@pharmatrace/sdk';
import { startTestServer, TestServer } from './support/test-server';
import { createTestNetwork, refusedWithNothingStored as storedNothing } from './support/test-network';
import { newGtin, productSpec } from './support/custody-fixture';

const CERT = { sha256: 'd'.repeat(64), issuer: 'Andes Chamber of Commerce', countryOfOrigin: 'CL', issuedOn: '2026-01-05' };
const SPEC = { class: 'II' as const, reason: 'out-of-specification assay', instructions: 'Return all stock.', notifyPatients: false };
const CHUNK = 250;

describe('the limits of one recall', () => {
  let server: TestServer;
  let regulator: PharmaTraceClient;
  let maker: PharmaTraceClient;
  let supplier: PharmaTraceClient;
  let gtin: string;
  const refusedWithNothingStored = (code: string, fn: () => Promise<unknown>) => storedNothing(server, code, fn);

  async function submitInChunks(client: PharmaTraceClient, signed: Array<ReturnType<PharmaTraceClient['sign']>>): Promise<void> {
    for (let i = 0; i < signed.length; i += CHUNK) await client.submitMany(signed.slice(i, i + CHUNK));
  }

  /** `n` batches of the maker's product, registered in a few requests (each chains on the product). */
  async function registerBatches(n: number, tag: string): Promise<string[]> {
    let prev = await maker.assetHead(productAssetId(gtin));
    const signed = [];
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const batch = { gtin, lot: `${tag}${i}`, quantity: 10, manufacturedOn: '2026-01-10', expiresOn: '2028-01-31' };
      const data: BatchRegisteredData = { v: 1, batch, ingredientLots: [] };
      const id = batchAssetId(gtin, batch.lot);
      const s = maker.sign({ type: CatalogEventTypes.batchRegistered, assets: [{ id, prev: null }, { id: productAssetId(gtin), prev }], data });
      prev = eventHash(s.event);
      signed.push(s);
      ids.push(id);
    }
    await submitInChunks(maker, signed);
    return ids;
  }

  before(async () => {
    server = await startTestServer();
    const net = await createTestNetwork(server);
    regulator = net.regulator;
    [maker, supplier] = await Promise.all([net.join('manufacturer', 'rl-maker'), net.join('supplier', 'rl-supplier')]);
    gtin = newGtin();
    await registerProduct(maker, productSpec(gtin));
  });
  after(async () => server?.close());

  it(`revisions: amendments stop at ${MAX_RECALL_REVISIONS - 1}, so that the close is revision ${MAX_RECALL_REVISIONS}`, async () => {
    const [batch] = await registerBatches(1, 'RV');
    const { recall } = await initiateRecall(regulator, { ...SPEC, batches: [batch] });
    let prev = await regulator.assetHead(recall);
    const amendments = [];
    for (let revision = 2; revision < MAX_RECALL_REVISIONS - 1; revision++) {
      const data: RecallAmendedData = { v: 1, recall, addBatches: [], addIngredientLots: [], instructions: `Return all stock (notice ${revision}).`, class: null };
      const s = regulator.sign({ type: RecallEventTypes.amended, assets: [{ id: recall, prev }], data });
      prev = eventHash(s.event);
      amendments.push(s);
    }
    await submitInChunks(regulator, amendments);
    assert.equal((await amendRecall(regulator, recall, { class: 'I' })).result.revision, MAX_RECALL_REVISIONS - 1);
    const r = await refusedWithNothingStored('INVALID_EVENT_DATA', () => amendRecall(regulator, recall, { instructions: 'One more change.' }));
    assert.match(r.message, new RegExp(`has ${MAX_RECALL_REVISIONS - 1} revisions.*at most ${MAX_RECALL_REVISIONS} with its close.*Start a new recall`));
    assert.equal((await closeRecall(regulator, recall, 'all returned')).result.revision, MAX_RECALL_REVISIONS);
    const seen = await getRecall(regulator, recall);
    assert.equal(seen?.revisions?.length, MAX_RECALL_REVISIONS, 'recall(id) lists every revision within the cost hint');
  });

  it(`batches: ${MAX_RECALL_BATCHES} in total, named or reached through an ingredient lot; one more is refused`, async () => {
    const batches = await registerBatches(MAX_RECALL_BATCHES + 1, 'RB');
    const { id: lot } = await registerIngredientLot(supplier, { number: `RL-API-${Date.now() % 1e6}`, material: 'metacresol', quantity: 5, unit: 'kg', certificate: CERT });
    const { shipment } = await ship(supplier, maker.participantId, [lot]);
    await receive(maker, shipment);
    // A batch that consumed the lot: the recall would reach it through the lot.
    const { id: viaLot } = await registerBatch(maker, { gtin, lot: 'RBLOT', quantity: 10, manufacturedOn: '2026-01-10', expiresOn: '2028-01-31' }, [lot]);
    const { recall, receipt } = await initiateRecall(regulator, { ...SPEC, batches: batches.slice(0, MAX_RECALL_BATCHES) });
    assert.equal(receipt.result.batches, MAX_RECALL_BATCHES);
    const named = await refusedWithNothingStored('INVALID_EVENT_DATA', () => amendRecall(regulator, recall, { addBatches: [batches[MAX_RECALL_BATCHES]] }));
    assert.match(named.message, new RegExp(`covers ${MAX_RECALL_BATCHES} batch\\(es\\).*would cover ${MAX_RECALL_BATCHES + 1} batches.*start a new recall`));
    const throughLot = await refusedWithNothingStored('INVALID_EVENT_DATA', () => amendRecall(regulator, recall, { addIngredientLots: [lot] }));
    assert.match(throughLot.message, /reached through its ingredient lots.*start a new recall/);
    // Batches it already covers do not count twice.
    assert.equal((await amendRecall(regulator, recall, { addBatches: batches.slice(0, 10), instructions: 'Destroy on site.' })).result.batches, 0);
    // The rest go into a new recall.
    const rest = await initiateRecall(regulator, { ...SPEC, batches: [batches[MAX_RECALL_BATCHES]], ingredientLots: [lot] });
    assert.equal(rest.receipt.result.batches, 2);
    assert.deepEqual((await getRecall(regulator, rest.recall))?.batches?.map((b) => b.batchId).sort(), [batches[MAX_RECALL_BATCHES], viaLot].sort());
  });

  it(`ingredient lots: ${MAX_RECALL_INGREDIENT_LOTS} in total; one more is refused`, async () => {
    const signed = Array.from({ length: MAX_RECALL_INGREDIENT_LOTS + 1 }, (_, i) => {
      const data: IngredientLotRegisteredData = { v: 1, lot: { number: `RL-LOT-${i}`, material: 'excipient', quantity: 1, unit: 'kg', certificate: CERT } };
      return supplier.sign({ type: CatalogEventTypes.ingredientLotRegistered, assets: [{ id: ingredientLotAssetId(supplier.participantId, `RL-LOT-${i}`), prev: null }], data });
    });
    await submitInChunks(supplier, signed);
    const lots = signed.map((s) => s.event.assets[0].id);
    const { recall } = await initiateRecall(regulator, { ...SPEC, ingredientLots: lots.slice(0, MAX_RECALL_INGREDIENT_LOTS) });
    const r = await refusedWithNothingStored('INVALID_EVENT_DATA', () => amendRecall(regulator, recall, { addIngredientLots: [lots[MAX_RECALL_INGREDIENT_LOTS]] }));
    assert.match(r.message, new RegExp(`would name ${MAX_RECALL_INGREDIENT_LOTS + 1} ingredient lots.*start a new recall`));
  });

  it('the audit replays recalls at their limits (a thousand batches checked a page at a time)', async () => {
    const report = await withDatabaseSnapshot(server.runtime.dataSource, (db) => auditDatabase(db));
    assert.equal(report.ok, true, report.ok ? '' : `${report.failure.code}: ${report.failure.where} — ${report.failure.why}`);
  });
});
