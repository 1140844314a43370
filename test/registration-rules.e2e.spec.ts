// Registration rules, one scenario per rule and named after it: an id that is already registered answers
// ALREADY_REGISTERED (never STALE_PREV) for every event that creates something; a wrong GS1 check digit
// names the right one; dates that cannot be true are refused. Every refusal stores nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { auditDatabase, withDatabaseSnapshot } from '@pharmatrace/audit';
import { gs1CheckDigit } from '@pharmatrace/gs1';
import { CatalogEventTypes, CustodyEventTypes, packAssetId, productAssetId, ProductRegisteredData } from '@pharmatrace/custody/custody-events';
import {
  commissionPacks, generateKeyFile, keySpecOf, pack, PharmaTraceClient, receive, registerBatch, registerIngredientLot, registerParticipant,
  registerProduct, ship,
} from '@pharmatrace/sdk';
import { sealEverything, startTestServer, TestServer } from './support/test-server';
import { createTestNetwork, LICENCE, refusedWithNothingStored as storedNothing, TestNetwork, uniqueGln } from './support/test-network';
import { newGtin, newSscc, productAndBatch, productSpec } from './support/custody-fixture';

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
/** The same number with its last (check) digit off by one. */
const wrongCheckDigit = (n: string): string => `${n.slice(0, -1)}${(Number(n[n.length - 1]) + 1) % 10}`;

describe('registration rules', () => {
  let server: TestServer;
  let net: TestNetwork;
  let supplier: PharmaTraceClient;
  let maker: PharmaTraceClient;
  let wholesaler: PharmaTraceClient;

  before(async () => {
    server = await startTestServer();
    net = await createTestNetwork(server);
    [supplier, maker, wholesaler] = await Promise.all([net.join('supplier', 'reg-supplier'), net.join('manufacturer', 'reg-maker'), net.join('wholesaler', 'reg-wholesaler')]);
  });
  after(async () => server?.close());

  const refusedWithNothingStored = (code: string, fn: () => Promise<unknown>) => storedNothing(server, code, fn);
  const cert = (issuedOn = '2026-01-05') => ({ sha256: 'b'.repeat(64), issuer: 'Andes Chamber of Commerce', countryOfOrigin: 'CL', issuedOn });

  it('participant already registered: ALREADY_REGISTERED naming the id, not STALE_PREV', async () => {
    const participant = () => ({ id: 'reg-dup', legalName: 'Dup Ltd', role: 'pharmacy' as const, gln: uniqueGln(), licence: LICENCE, keys: [keySpecOf(generateKeyFile('k'))] });
    await registerParticipant(net.regulator, participant());
    const r = await refusedWithNothingStored('ALREADY_REGISTERED', () => registerParticipant(net.regulator, participant()));
    assert.match(r.message, /^Participant reg-dup is already registered; choose another participant id/);
    assert.equal(r.details?.asset, 'participant:reg-dup');
  });

  it('product already registered: ALREADY_REGISTERED, whatever prev the event cites', async () => {
    const gtin = newGtin();
    await registerProduct(maker, productSpec(gtin));
    const r = await refusedWithNothingStored('ALREADY_REGISTERED', () => registerProduct(maker, productSpec(gtin)));
    assert.match(r.message, new RegExp(`^Product product:${gtin} is already registered`));
    // citing the product's current head instead of null does not turn it into an update
    const data: ProductRegisteredData = { v: 1, product: productSpec(gtin, { name: 'renamed' }) };
    const signed = await maker.signWithHeads(CatalogEventTypes.productRegistered, [productAssetId(gtin)], data);
    await refusedWithNothingStored('ALREADY_REGISTERED', () => maker.query('mutation($i: SignedEventInput!) { registerProduct(input: $i) { seq } }', { i: signed }));
  });

  it('batch already registered: ALREADY_REGISTERED asking for another lot number', async () => {
    const gtin = newGtin();
    await registerProduct(maker, productSpec(gtin));
    const batch = { gtin, lot: 'L1', manufacturedOn: day(-30), expiresOn: day(700), quantity: 10 };
    await registerBatch(maker, batch);
    const r = await refusedWithNothingStored('ALREADY_REGISTERED', () => registerBatch(maker, { ...batch, quantity: 20 }));
    assert.equal(r.message, `Batch batch:${gtin}/L1 is already registered; choose another lot number.`);
  });

  it('ingredient lot already registered: ALREADY_REGISTERED asking for another lot number', async () => {
    const lot = { number: 'API-DUP-1', material: 'amoxicillin trihydrate', quantity: 5, unit: 'kg', certificate: cert() };
    const { id } = await registerIngredientLot(supplier, lot);
    const r = await refusedWithNothingStored('ALREADY_REGISTERED', () => registerIngredientLot(supplier, lot));
    assert.equal(r.message, `Ingredient lot ${id} is already registered; choose another lot number.`);
  });

  it('serial already commissioned: ALREADY_REGISTERED, also within one atomic call, and nothing is commissioned', async () => {
    const { gtin, batch } = await productAndBatch(maker, 3000);
    const { serials } = await commissionPacks(maker, batch, 5);
    const r = await refusedWithNothingStored('ALREADY_REGISTERED', () => commissionPacks(maker, batch, ['NEW-1', serials[2]]));
    assert.match(r.message, new RegExp(`^Pack ${packAssetId(gtin, serials[2]).replace('.', '\\.')} is already commissioned; .*choose another serial`));
    assert.equal(await server.runtime.dataSource.query('SELECT 1 FROM custody_items WHERE id = $1', [packAssetId(gtin, 'NEW-1')]).then((rows: unknown[]) => rows.length), 0);
    // 1,001 serials are two events of one atomic call: the second repeats a serial commissioned before,
    // and is named by its index
    const fresh = Array.from({ length: 1001 }, (_, i) => `DUP-${i}`);
    fresh[1000] = serials[0];
    const batchRefusal = await refusedWithNothingStored('BATCH_REJECTED', () => commissionPacks(maker, batch, fresh));
    const errors = batchRefusal.details?.errors as Array<{ index: number; code: string; message: string }>;
    assert.deepEqual(errors.map((e) => [e.index, e.code]), [[1, 'ALREADY_REGISTERED']]);
    assert.match(errors[0].message, /^Pack .* is already commissioned/);
    // a serial repeated within one call is not registered yet: that is invalid data, named by index too
    fresh[1000] = fresh[0];
    const twice = await refusedWithNothingStored('BATCH_REJECTED', () => commissionPacks(maker, batch, fresh));
    assert.deepEqual((twice.details?.errors as Array<{ index: number; code: string }>).map((e) => [e.index, e.code]), [[1, 'INVALID_EVENT_DATA']]);
  });

  it('container already registered: a new SSCC that exists answers ALREADY_REGISTERED', async () => {
    const { gtin, batch } = await productAndBatch(maker, 4);
    const { serials } = await commissionPacks(maker, batch, 2);
    const [a, b] = serials.map((s) => packAssetId(gtin, s));
    const box = newSscc();
    await pack(maker, { id: box, kind: 'case' }, [a], { newContainer: true });
    const r = await refusedWithNothingStored('ALREADY_REGISTERED', () => pack(maker, { id: box, kind: 'case' }, [b], { newContainer: true }));
    assert.match(r.message, /^Container sscc:\d{18} is already registered; choose another SSCC, or cite its current head to pack into it\.$/);
    await pack(maker, { id: box, kind: 'case' }, [b], { newContainer: false });
  });

  it('shipment id already registered: ALREADY_REGISTERED asking for another shipment id', async () => {
    const { gtin, batch } = await productAndBatch(maker, 4);
    const { serials } = await commissionPacks(maker, batch, 2);
    const [a, b] = serials.map((s) => packAssetId(gtin, s));
    const { shipment } = await ship(maker, wholesaler.participantId, [a], 'shipment:reg-dup-0001');
    const r = await refusedWithNothingStored('ALREADY_REGISTERED', () => ship(maker, wholesaler.participantId, [b], shipment));
    assert.equal(r.message, 'Shipment shipment:reg-dup-0001 is already registered; choose another shipment id.');
    await receive(wholesaler, shipment);
  });

  it('a stale prev on an existing item is still STALE_PREV: only creating events answer ALREADY_REGISTERED', async () => {
    const { gtin, batch } = await productAndBatch(maker, 2);
    const { serials } = await commissionPacks(maker, batch, 1);
    const p = packAssetId(gtin, serials[0]);
    const signed = maker.sign({ type: CustodyEventTypes.reportedLost, assets: [{ id: p, prev: null }], data: { v: 1, items: [p], reason: 'x' } });
    await refusedWithNothingStored('STALE_PREV', () => maker.query('mutation($i: SignedEventInput!) { reportDisposal(input: $i) { seq } }', { i: signed }));
  });

  it('GTIN check digit: a wrong one is refused naming the right one, for products and batches', async () => {
    const gtin = newGtin();
    const bad = wrongCheckDigit(gtin);
    const r = await refusedWithNothingStored('INVALID_GTIN', () => registerProduct(maker, productSpec(bad)));
    assert.equal(r.message, `GTIN ${bad} ends in ${bad[13]}, but the check digit should be ${gtin[13]} (${gtin}).`);
    await refusedWithNothingStored('INVALID_GTIN', () => registerBatch(maker, { gtin: bad, lot: 'X', manufacturedOn: day(-1), expiresOn: day(300), quantity: 1 }));
    const short = await refusedWithNothingStored('INVALID_GTIN', () => registerProduct(maker, productSpec('4006381333931')));
    assert.match(short.message, /must be given as 14 digits, padded with leading zeros: 04006381333931/);
  });

  it('SSCC check digit: a wrong one is refused naming the right one', async () => {
    const { gtin, batch } = await productAndBatch(maker, 2);
    const { serials } = await commissionPacks(maker, batch, 1);
    const good = newSscc().slice('sscc:'.length);
    const bad = wrongCheckDigit(good);
    const r = await refusedWithNothingStored('INVALID_SSCC', () => pack(maker, { id: `sscc:${bad}`, kind: 'case' }, [packAssetId(gtin, serials[0])], { newContainer: true }));
    assert.equal(r.message, `SSCC ${bad} ends in ${bad[17]}, but the check digit should be ${good[17]} (${good}).`);
  });

  it('GLN check digit: a wrong one is refused naming the right one', async () => {
    const gln = uniqueGln();
    const bad = wrongCheckDigit(gln);
    const r = await refusedWithNothingStored('INVALID_GLN', () =>
      registerParticipant(net.regulator, { id: 'reg-bad-gln', legalName: 'X', role: 'pharmacy', gln: bad, licence: LICENCE, keys: [keySpecOf(generateKeyFile('k'))] }),
    );
    assert.equal(r.message, `GLN ${bad} ends in ${bad[12]}, but the check digit should be ${gs1CheckDigit(gln.slice(0, 12))} (${gln}).`);
  });

  it('batch dates: an expired batch, a manufacture date in the future and an expiry before manufacture are refused', async () => {
    const gtin = newGtin();
    await registerProduct(maker, productSpec(gtin));
    const batch = (lot: string, manufacturedOn: string, expiresOn: string) => registerBatch(maker, { gtin, lot, manufacturedOn, expiresOn, quantity: 10 });
    const expired = await refusedWithNothingStored('ALREADY_EXPIRED', () => batch('D1', '2023-01-01', '2024-01-01'));
    assert.match(expired.message, /expired on 2024-01-01 .*cannot be registered/);
    await refusedWithNothingStored('ALREADY_EXPIRED', () => batch('D1', day(-400), day(-1)));
    const future = await refusedWithNothingStored('DATE_IN_FUTURE', () => batch('D2', day(3), day(700)));
    assert.match(future.message, /manufactured on .* after today/);
    await refusedWithNothingStored('EXPIRY_BEFORE_MANUFACTURE', () => batch('D3', day(-10), day(-20)));
    await refusedWithNothingStored('EXPIRY_BEFORE_MANUFACTURE', () => batch('D4', day(-10), day(-10)));
    // the boundaries are fine: made today, expiring today
    await batch('D5', day(0), day(365));
    await batch('D6', day(-365), day(0));
  });

  it('commissioning an expired batch: refused with ALREADY_EXPIRED', async () => {
    const { batch } = await productAndBatch(maker, 10, { manufacturedOn: day(-100), expiresOn: day(100) });
    await commissionPacks(maker, batch, 1);
    // the calendar moves on: the batch's expiry passes
    await server.runtime.dataSource.query(`UPDATE batches SET expires_on = $2 WHERE id = $1`, [batch, day(-1)]);
    const r = await refusedWithNothingStored('ALREADY_EXPIRED', () => commissionPacks(maker, batch, 1));
    assert.match(r.message, /packs of an expired batch cannot be commissioned/);
  });

  it('certificate of origin dated in the future: refused with DATE_IN_FUTURE', async () => {
    const r = await refusedWithNothingStored('DATE_IN_FUTURE', () =>
      registerIngredientLot(supplier, { number: 'API-FUT-1', material: 'x', quantity: 1, unit: 'kg', certificate: cert(day(2)) }),
    );
    assert.match(r.message, /certificate of origin of lot API-FUT-1 is dated .* after today/);
  });

  it('participant registration with an expired licence: refused with LICENCE_EXPIRED', async () => {
    const r = await refusedWithNothingStored('LICENCE_EXPIRED', () =>
      registerParticipant(net.regulator, {
        id: 'reg-expired', legalName: 'Lapsed Ltd', role: 'pharmacy', gln: uniqueGln(), licence: { number: 'PH-OLD', expiresOn: day(-1) }, keys: [keySpecOf(generateKeyFile('k'))],
      }),
    );
    assert.match(r.message, /^Licence PH-OLD of reg-expired expired on \d{4}-\d{2}-\d{2} .*register the participant with its current licence\.$/);
  });

  it('audit: the ledger replays clean after every refusal', async () => {
    await sealEverything(server);
    const report = await withDatabaseSnapshot(server.runtime.dataSource, (db) => auditDatabase(db));
    assert.equal(report.ok, true, report.ok ? '' : `${report.failure.code}: ${report.failure.where} — ${report.failure.why}`);
  });
});
