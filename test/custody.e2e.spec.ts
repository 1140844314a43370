// Custody scenario tests, one per rule and named after it: catalog, commissioning, packing, handovers,
// disposals and history, end to end through the SDK. Every refusal has its own code and stores nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { auditDatabase, withDatabaseSnapshot } from '@pharmatrace/audit';
import { CatalogEventTypes, CustodyEventTypes, packAssetId, productAssetId } from '@pharmatrace/custody/custody-events';
import {
  addKey, commissionPacks, generateKeyFile, item, itemHistory, keySpecOf, pack, PharmaTraceClient, receive, refuse,
  registerBatch, registerIngredientLot, registerProduct, reportDisposal, ship,
} from '@pharmatrace/sdk';
import { sealEverything, startTestServer, TestServer } from './support/test-server';
import { createTestNetwork, knowingHeads, refusal, TestNetwork } from './support/test-network';
import { refusedWithNothingStored as storedNothing } from './support/test-network';
import { newGtin, newSscc, productAndBatch, productSpec } from './support/custody-fixture';

describe('custody', () => {
  let server: TestServer;
  let net: TestNetwork;
  let supplier: PharmaTraceClient;
  let maker: PharmaTraceClient;
  let wholesaler: PharmaTraceClient;
  let pharmacy: PharmaTraceClient;
  let prescriber: PharmaTraceClient;

  before(async () => {
    server = await startTestServer();
    net = await createTestNetwork(server);
    [supplier, maker, wholesaler, pharmacy, prescriber] = await Promise.all([
      net.join('supplier', 'api-supplier'), net.join('manufacturer', 'helix'), net.join('wholesaler', 'northline'),
      net.join('pharmacy', 'central-pharmacy'), net.join('prescriber', 'dr-rivera'),
    ]);
  });
  after(async () => server?.close());

  const refusedWithNothingStored = (code: string, fn: () => Promise<unknown>) => storedNothing(server, code, fn);

  it('product registration: a manufacturer registers a GTIN with a valid check digit', async () => {
    const gtin = newGtin();
    await registerProduct(maker, productSpec(gtin));
    const bad = `${gtin.slice(0, 13)}${(Number(gtin[13]) + 1) % 10}`;
    await refusedWithNothingStored('INVALID_GTIN', () => registerProduct(maker, productSpec(bad)));
    await refusedWithNothingStored('FORBIDDEN_ROLE', () => registerProduct(wholesaler, productSpec(newGtin())));
    await refusedWithNothingStored('ALREADY_REGISTERED', () => registerProduct(maker, productSpec(gtin)));
  });

  it('batch registration: only the product owner, consuming ingredient lots in its custody', async () => {
    const cert = { sha256: 'a'.repeat(64), issuer: 'Andes Chamber of Commerce', countryOfOrigin: 'CL', issuedOn: '2026-01-05' };
    const { id: lot } = await registerIngredientLot(supplier, { number: 'API-7731', material: 'insulin glargine (API)', quantity: 12.5, unit: 'kg', certificate: cert });
    const gtin = newGtin();
    await registerProduct(maker, productSpec(gtin));
    const dates = { manufacturedOn: '2026-02-01', expiresOn: '2028-02-01', quantity: 500 };
    // Another party's lot answers as a missing one; cited with its real head, the custody rule refuses it.
    await refusedWithNothingStored('UNKNOWN_ITEM', () => registerBatch(maker, { gtin, lot: 'B-1', ...dates }, [lot]));
    await refusedWithNothingStored('NOT_CUSTODIAN', () => registerBatch(knowingHeads(maker, net.regulator), { gtin, lot: 'B-1', ...dates }, [lot]));
    const { shipment } = await ship(supplier, maker.participantId, [lot]);
    await receive(maker, shipment);
    const { id: batch } = await registerBatch(maker, { gtin, lot: 'B-1', ...dates }, [lot]);
    // One lot of an active ingredient feeds many batches: it stays in the manufacturer's custody, active.
    assert.equal((await item(maker, lot))?.state, 'active');
    const { id: second } = await registerBatch(maker, { gtin, lot: 'B-2', ...dates }, [lot]);
    assert.ok(second.endsWith('/B-2'));
    // What is left of it destroyed, it can feed no further batch.
    await reportDisposal(maker, 'destroyed', [lot], 'remainder of the lot past its retest date');
    await refusedWithNothingStored('INGREDIENT_NOT_AVAILABLE', () => registerBatch(maker, { gtin, lot: 'B-4', ...dates }, [lot]));
    const other = await net.join('manufacturer');
    await refusedWithNothingStored('NOT_PRODUCT_OWNER', () => registerBatch(other, { gtin, lot: 'B-3', ...dates }));
    assert.ok(batch.startsWith('batch:'));
  });

  it('commissioning: 100,000 packs in one atomic call, bulk-inserted', async () => {
    const { gtin, batch } = await productAndBatch(maker, 100_000);
    const { receipts, serials } = await commissionPacks(maker, batch, 100_000);
    assert.equal(receipts.length, 100);
    assert.equal(serials.length, 100_000);
    const [{ n }] = await server.runtime.dataSource.query('SELECT count(*)::int AS n FROM custody_items WHERE batch_id = $1', [batch]);
    assert.equal(n, 100_000);
    const last = await item(maker, packAssetId(gtin, serials[99_999]));
    assert.equal(last?.custodianId, maker.participantId);
    await refusedWithNothingStored('BATCH_QUANTITY_EXCEEDED', () => commissionPacks(maker, batch, 1));
  });

  it('commissioning: a serial can be used once, and a refused call commissions nothing', async () => {
    const { gtin, batch } = await productAndBatch(maker, 50);
    const { serials } = await commissionPacks(maker, batch, 10);
    await refusedWithNothingStored('ALREADY_REGISTERED', () => commissionPacks(maker, batch, ['FRESH1', serials[3]]));
    assert.equal(await item(maker, packAssetId(gtin, 'FRESH1')), null);
    await refusedWithNothingStored('INVALID_SERIAL', () => commissionPacks(maker, batch, ['has space']));
  });

  it('packing: packs into cases, cases into pallets; a pack’s custodian is its outermost container’s', async () => {
    const { gtin, batch } = await productAndBatch(maker, 20);
    const { serials } = await commissionPacks(maker, batch, 20);
    const packs = serials.map((s) => packAssetId(gtin, s));
    const [caseA, caseB, pallet] = [newSscc(), newSscc(), newSscc()];
    await pack(maker, { id: caseA, kind: 'case' }, packs.slice(0, 10), { newContainer: true });
    await pack(maker, { id: caseB, kind: 'case' }, packs.slice(10), { newContainer: true });
    await pack(maker, { id: pallet, kind: 'pallet' }, [caseA, caseB], { newContainer: true });
    await refusedWithNothingStored('ITEM_PACKED', () => pack(maker, { id: newSscc(), kind: 'case' }, [packs[0]], { newContainer: true }));
    await refusedWithNothingStored('CONTAINER_INVALID', () => pack(maker, { id: newSscc(), kind: 'case' }, [pallet], { newContainer: true }));
    await refusedWithNothingStored('INVALID_SSCC', () => pack(maker, { id: 'sscc:123456789012345678', kind: 'case' }, [packs[0]], { newContainer: true }));

    const { shipment } = await ship(maker, wholesaler.participantId, [pallet]);
    assert.equal((await item(maker, packs[0]))?.inTransitOn, shipment);
    await receive(wholesaler, shipment);
    const p = await item(wholesaler, packs[0]);
    assert.equal(p?.custodianId, wholesaler.participantId);
    assert.equal(p?.topId, pallet);
    await refusedWithNothingStored('NOT_CUSTODIAN', () => pack(maker, { id: newSscc(), kind: 'case' }, [packs[5]], { newContainer: true }));
  });

  it('shipping: only the custodian ships, only top-level active items, only to a participant who may receive', async () => {
    const { gtin, batch } = await productAndBatch(maker, 5);
    const { serials } = await commissionPacks(maker, batch, 5);
    const packs = serials.map((s) => packAssetId(gtin, s));
    await refusedWithNothingStored('UNKNOWN_ITEM', () => ship(wholesaler, pharmacy.participantId, [packs[0]]));
    await refusedWithNothingStored('NOT_CUSTODIAN', () => ship(knowingHeads(wholesaler, net.regulator), pharmacy.participantId, [packs[0]]));
    await refusedWithNothingStored('RECIPIENT_INVALID', () => ship(maker, prescriber.participantId, [packs[0]]));
    await refusedWithNothingStored('RECIPIENT_INVALID', () => ship(maker, maker.participantId, [packs[0]]));
    const { shipment } = await ship(maker, pharmacy.participantId, [packs[0]]);
    await refusedWithNothingStored('ITEM_NOT_AVAILABLE', () => ship(maker, wholesaler.participantId, [packs[0]]));
    await receive(pharmacy, shipment);
  });

  it('receiving: only the named recipient, once; refusing sends the goods back', async () => {
    const { gtin, batch } = await productAndBatch(maker, 5);
    const { serials } = await commissionPacks(maker, batch, 2);
    const [a, b] = serials.map((s) => packAssetId(gtin, s));
    const first = await ship(maker, wholesaler.participantId, [a]);
    await refusedWithNothingStored('UNKNOWN_SHIPMENT', () => receive(pharmacy, first.shipment));
    await refusedWithNothingStored('SHIPMENT_NOT_FOR_YOU', () => receive(knowingHeads(pharmacy, net.regulator), first.shipment));
    await receive(wholesaler, first.shipment);
    await refusedWithNothingStored('SHIPMENT_CLOSED', () => receive(wholesaler, first.shipment));
    const second = await ship(maker, wholesaler.participantId, [b]);
    await refuse(wholesaler, second.shipment, 'not ordered');
    const back = await item(maker, b);
    assert.deepEqual([back?.custodianId, back?.state, back?.inTransitOn], [maker.participantId, 'active', null]);
  });

  it('concurrent handovers: two terminals shipping the same pallet at once, exactly one wins', async () => {
    const { gtin, batch } = await productAndBatch(maker, 4);
    const { serials } = await commissionPacks(maker, batch, 4);
    const pallet = newSscc();
    await pack(maker, { id: pallet, kind: 'pallet' }, serials.map((s) => packAssetId(gtin, s)), { newContainer: true });
    const terminals = [generateKeyFile('dock 1', 'terminal', maker.participantId), generateKeyFile('dock 2', 'terminal', maker.participantId)];
    for (const t of terminals) await addKey(maker, maker.participantId, keySpecOf(t));
    const clients = terminals.map((t) => new PharmaTraceClient(server.url, t));
    const head = await maker.assetHead(pallet);
    const race = Date.now();
    const outcomes = await Promise.allSettled(
      clients.map((c, i) =>
        c.query('mutation($i: SignedEventInput!) { ship(input: $i) { seq } }', {
          i: c.sign({
            type: CustodyEventTypes.shipped,
            assets: [{ id: `shipment:race-${race}-${i}`, prev: null }, { id: pallet, prev: head }],
            data: { v: 1, shipment: `shipment:race-${race}-${i}`, to: i === 0 ? wholesaler.participantId : pharmacy.participantId, items: [pallet] },
          }),
        }),
      ),
    );
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
    const lost = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    assert.equal((lost?.reason as { code: string }).code, 'STALE_PREV');
  });

  it('containers: a pallet holding a destroyed pack cannot travel until the pack is taken out', async () => {
    const { gtin, batch } = await productAndBatch(maker, 3);
    const { serials } = await commissionPacks(maker, batch, 3);
    const packs = serials.map((s) => packAssetId(gtin, s));
    const pallet = newSscc();
    await pack(maker, { id: pallet, kind: 'pallet' }, packs, { newContainer: true });
    await reportDisposal(maker, 'destroyed', [packs[0]], 'crushed');
    await refusedWithNothingStored('ITEM_NOT_AVAILABLE', () => ship(maker, wholesaler.participantId, [pallet]));
  });

  it('expiry: expired goods are not shipped, except back to their manufacturer', async () => {
    // An expired batch cannot be registered or commissioned, so the calendar moves on in the database instead.
    const { gtin, batch } = await productAndBatch(maker, 3, { manufacturedOn: '2026-01-01', expiresOn: '2030-01-01' });
    const { serials } = await commissionPacks(maker, batch, 1);
    await server.runtime.dataSource.query(`UPDATE batches SET expires_on = '2024-01-01' WHERE id = $1`, [batch]);
    await refusedWithNothingStored('ITEM_NOT_AVAILABLE', () => ship(maker, pharmacy.participantId, [packAssetId(gtin, serials[0])]));
  });

  it('disposal: destroyed, stolen and lost are final; a destroyed container takes its contents', async () => {
    const { gtin, batch } = await productAndBatch(maker, 6);
    const { serials } = await commissionPacks(maker, batch, 6);
    const packs = serials.map((s) => packAssetId(gtin, s));
    const box = newSscc();
    await pack(maker, { id: box, kind: 'case' }, packs.slice(0, 3), { newContainer: true });
    await reportDisposal(maker, 'destroyed', [box], 'water damage');
    assert.equal((await item(maker, packs[0]))?.state, 'destroyed');
    await refusedWithNothingStored('ITEM_NOT_AVAILABLE', () => ship(maker, wholesaler.participantId, [box]));
    await reportDisposal(maker, 'stolen', [packs[3]], 'warehouse break-in');
    await reportDisposal(maker, 'lost', [packs[4]], 'not found at stocktake');
    await refusedWithNothingStored('ITEM_NOT_AVAILABLE', () => reportDisposal(maker, 'destroyed', [packs[3]], 'again'));
    await refusedWithNothingStored('UNKNOWN_ITEM', () => reportDisposal(wholesaler, 'destroyed', [packs[5]], 'not mine'));
    await refusedWithNothingStored('NOT_CUSTODIAN', () => reportDisposal(knowingHeads(wholesaler, net.regulator), 'destroyed', [packs[5]], 'not mine'));
  });

  it('history: every event on the item and on its containers while inside, signed and sealed', async () => {
    const { gtin, batch } = await productAndBatch(maker, 2);
    const { serials } = await commissionPacks(maker, batch, 1);
    const p = packAssetId(gtin, serials[0]);
    const box = newSscc();
    await pack(maker, { id: box, kind: 'case' }, [p], { newContainer: true });
    const { shipment } = await ship(maker, pharmacy.participantId, [box]);
    await receive(pharmacy, shipment);
    await sealEverything(server);
    const history = await itemHistory(pharmacy, p);
    assert.deepEqual(history.map((h) => h.type), [CustodyEventTypes.commissioned, CustodyEventTypes.packed, CustodyEventTypes.shipped, CustodyEventTypes.received]);
    assert.deepEqual(history.map((h) => h.via), [p, p, box, box]);
    assert.ok(history.every((h) => h.signature === 'valid' && h.blockHeight !== null));
    const productHistory = await itemHistory(maker, productAssetId(gtin));
    assert.deepEqual(productHistory.map((h) => h.type), [CatalogEventTypes.productRegistered, CatalogEventTypes.batchRegistered]);
  });

  it('audit: the whole custody ledger replays clean, bulk-created packs included', async () => {
    await sealEverything(server);
    const report = await withDatabaseSnapshot(server.runtime.dataSource, (db) => auditDatabase(db));
    assert.equal(report.ok, true, report.ok ? '' : `${report.failure.code}: ${report.failure.where} — ${report.failure.why}`);
  });
});
