// Verify without dispensing: the pharmacy counter scans a pack and gets one verdict, end to end through the
// SDK against the real API. Goods reach their states through the custody and cold-chain operations; the
// calendar (expiry) and the EU FMD decommission states, which no event sets yet, are moved in the database.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { packAssetId, parseBatchAssetId } from '@pharmatrace/custody/custody-events';
import {
  commissionPacks, GraphqlClient, PackVerdictView, PharmaTraceClient, receive, recordReadings, registerBatch, reportDisposal, ship, verifyPack,
} from '@pharmatrace/sdk';
import { startTestServer, TestServer, waitFor } from './support/test-server';
import { createTestNetwork, refusal, TestNetwork } from './support/test-network';
import { newGtin, productAndBatch } from './support/custody-fixture';
import { acceptedAt, coldProduct, deliveredPallet, readingsAfter, taken } from './support/cold-chain-fixture';

const GS = '\x1d';
const EXPIRES_ON = '2028-01-31';
const yymmdd = (date: string): string => `${date.slice(2, 4)}${date.slice(5, 7)}${date.slice(8, 10)}`;

/** What a pack's DataMatrix holds: (01) GTIN (17) expiry (10) lot <GS> (21) serial — the lot is variable-length and not last. */
const elementString = (p: Pack, over: { lot?: string; expiry?: string } = {}): string =>
  `01${p.gtin}17${yymmdd(over.expiry ?? p.expiresOn)}10${over.lot ?? p.lot}${GS}21${p.serial}`;
/** The same, as a GS1 Digital Link URI (the canonical form, expiry as a query parameter). */
const digitalLink = (p: Pack): string => `https://id.pharmatrace.example/01/${p.gtin}/10/${encodeURIComponent(p.lot)}/21/${encodeURIComponent(p.serial)}?17=${yymmdd(p.expiresOn)}`;

interface Pack {
  gtin: string;
  serial: string;
  lot: string;
  expiresOn: string;
  id: string;
}

const codes = (v: PackVerdictView): string[] => v.reasons.map((r) => r.code);

describe('pack verification', () => {
  let server: TestServer;
  let net: TestNetwork;
  let maker: PharmaTraceClient;
  let wholesaler: PharmaTraceClient;
  let pharmacy: PharmaTraceClient;
  let otherPharmacy: PharmaTraceClient;
  let prescriber: PharmaTraceClient;
  let gtin: string;
  let lot: string;
  let otherLot: string;
  /** Packs of one batch, delivered to the pharmacy and received. */
  let held: Pack[];

  /** Commissions `count` packs of a batch, ships them to `to` and (unless told not to) receives them there. */
  async function delivered(batch: string, count: number, to: PharmaTraceClient, options: { receive: boolean } = { receive: true }): Promise<Pack[]> {
    const { gtin: g, lot: l } = parseBatchAssetId(batch)!;
    const [{ expires_on }]: Array<{ expires_on: string }> = await server.runtime.dataSource.query(`SELECT to_char(expires_on, 'YYYY-MM-DD') AS expires_on FROM batches WHERE id = $1`, [batch]);
    const { serials } = await commissionPacks(maker, batch, count);
    const packs = serials.map((serial) => ({ gtin: g, serial, lot: l, expiresOn: expires_on, id: packAssetId(g, serial) }));
    const { shipment } = await ship(maker, to.participantId, packs.map((p) => p.id));
    if (options.receive) await receive(to, shipment);
    return packs;
  }

  before(async () => {
    server = await startTestServer(undefined, { SEAL_DEBOUNCE_MS: '50' });
    net = await createTestNetwork(server);
    [maker, wholesaler, pharmacy, otherPharmacy, prescriber] = await Promise.all([
      net.join('manufacturer', 'pv-maker'), net.join('wholesaler', 'pv-wholesaler'), net.join('pharmacy', 'pv-pharmacy'),
      net.join('pharmacy', 'pv-other-pharmacy'), net.join('prescriber', 'pv-prescriber'),
    ]);
    const first = await productAndBatch(maker, 100, { manufacturedOn: '2026-01-10', expiresOn: EXPIRES_ON });
    gtin = first.gtin;
    lot = parseBatchAssetId(first.batch)!.lot;
    otherLot = `${lot}B`;
    await registerBatch(maker, { gtin, lot: otherLot, quantity: 10, manufacturedOn: '2026-01-10', expiresOn: '2028-06-30' });
    held = await delivered(first.batch, 12, pharmacy);
  });
  after(async () => server?.close());

  it('fit: a pack the pharmacy holds, read as an element string, with ]d2, as a Digital Link and as four fields', async () => {
    const p = held[0];
    const scans: Array<[string, Parameters<typeof verifyPack>[1]]> = [
      ['element string with GS', elementString(p)],
      [']d2 symbology identifier', `]d2${elementString(p)}`],
      ['Digital Link', digitalLink(p)],
      ['four fields', { gtin: p.gtin, serial: p.serial, lot: p.lot, expiry: p.expiresOn }],
    ];
    for (const [how, scan] of scans) {
      const v = await verifyPack(pharmacy, scan);
      assert.deepEqual([v.fitToDispense, v.status, v.reasons], [true, 'active', []], how);
      assert.deepEqual(v.scanned, { gtin: p.gtin, serial: p.serial, lot: p.lot, expiry: p.expiresOn }, how);
      assert.deepEqual(v.batch, { lot: p.lot, expiresOn: p.expiresOn }, how);
      assert.deepEqual(v.pack, { id: p.id, state: 'active', custodianId: pharmacy.participantId }, how);
      assert.deepEqual([v.product?.gtin, v.product?.manufacturerId, v.product?.manufacturerName], [gtin, maker.participantId, `${maker.participantId} Ltd`], how);
    }
  });

  it('BATCH_MISMATCH: the same pack scanned with another lot of its product; a lot never registered is UNKNOWN_BATCH too', async () => {
    const p = held[1];
    const other = await verifyPack(pharmacy, elementString(p, { lot: otherLot, expiry: '2028-06-30' }));
    assert.deepEqual([other.fitToDispense, codes(other)], [false, ['BATCH_MISMATCH']]);
    assert.deepEqual([other.reasons[0].emvs, other.reasons[0].nmvs], ['A68', 'NMVS_FE_LOT_13']);
    assert.equal(other.batch, null, 'the genuine lot is not told');
    const unregistered = await verifyPack(pharmacy, { gtin: p.gtin, serial: p.serial, lot: 'NOSUCHLOT' });
    assert.deepEqual(codes(unregistered), ['UNKNOWN_BATCH', 'BATCH_MISMATCH']);
    assert.deepEqual([unregistered.reasons[0].emvs, unregistered.reasons[0].nmvs], ['A2', 'NMVS_FE_LOT_03']);
  });

  it('EXPIRY_MISMATCH: the same pack scanned with another expiry', async () => {
    const v = await verifyPack(pharmacy, elementString(held[1], { expiry: '2028-01-30' }));
    assert.deepEqual([v.fitToDispense, codes(v)], [false, ['EXPIRY_MISMATCH']]);
    assert.deepEqual([v.reasons[0].emvs, v.reasons[0].nmvs], ['A52', 'NMVS_FE_LOT_12']);
    assert.equal(v.batch, null);
  });

  it('UNKNOWN_SERIAL and UNKNOWN_PRODUCT: a serial never commissioned, a GTIN never registered', async () => {
    const p = held[1];
    const serial = await verifyPack(pharmacy, elementString({ ...p, serial: 'NEVERMADE1' }));
    assert.deepEqual([serial.fitToDispense, serial.status, codes(serial), serial.pack, serial.product?.gtin], [false, 'unknown', ['UNKNOWN_SERIAL'], null, gtin]);
    assert.deepEqual([serial.reasons[0].emvs, serial.reasons[0].nmvs], ['A3', 'NMVS_NC_PC_02']);
    const unknownGtin = newGtin();
    const product = await verifyPack(pharmacy, elementString({ ...p, gtin: unknownGtin }));
    assert.deepEqual([product.fitToDispense, product.status, codes(product), product.product, product.pack], [false, 'unknown', ['UNKNOWN_PRODUCT'], null, null]);
  });

  it('DESTROYED and STOLEN: packs the pharmacy reported', async () => {
    const [destroyed, stolen] = [held[2], held[3]];
    await reportDisposal(pharmacy, 'destroyed', [destroyed.id], 'dropped and crushed');
    await reportDisposal(pharmacy, 'stolen', [stolen.id], 'counter theft');
    const d = await verifyPack(pharmacy, elementString(destroyed));
    assert.deepEqual([d.fitToDispense, d.status, codes(d), d.reasons[0].emvs, d.reasons[0].nmvs], [false, 'destroyed', ['DESTROYED'], 'A24', 'NMVS_NC_PCK_22']);
    const s = await verifyPack(pharmacy, digitalLink(stolen));
    assert.deepEqual([s.fitToDispense, s.status, codes(s)], [false, 'stolen', ['STOLEN']]);
  });

  it('QUARANTINED: a pack on a pallet the cold chain quarantined', async () => {
    // A fridge product that tolerates no time out of range, on a pallet the pharmacy received; its own
    // readings (taken a second apart after the receipt) go out of range, and the worker quarantines the pallet.
    const { batch } = await coldProduct(maker, { excursionPolicy: { maxMinutesOutOfRange: 0, maxMktC: 8 } });
    const { pallet, packs, received } = await deliveredPallet(maker, pharmacy, batch);
    await recordReadings(pharmacy, pallet, await taken(readingsAfter(await acceptedAt(server, received.seq), [5, 15, 15, 5])));
    const { gtin: g, lot: l } = parseBatchAssetId(batch)!;
    const serial = packs[0].slice(`sgtin:${g}.`.length);
    const v = await waitFor('the quarantine', async () => {
      const answer = await verifyPack(pharmacy, { gtin: g, serial, lot: l });
      return answer.status === 'quarantined' ? answer : null;
    });
    assert.deepEqual([v.fitToDispense, codes(v), v.pack?.state], [false, ['QUARANTINED'], 'quarantined']);
  });

  it('EXPIRED: the batch’s expiry date has passed', async () => {
    // An expired batch cannot be registered or commissioned, so the calendar moves on in the database instead.
    const { batch } = await productAndBatch(maker, 3, { manufacturedOn: '2026-01-01', expiresOn: '2030-01-01' });
    const [p] = await delivered(batch, 1, pharmacy);
    await server.runtime.dataSource.query(`UPDATE batches SET expires_on = '2024-01-01' WHERE id = $1`, [batch]);
    const v = await verifyPack(pharmacy, elementString({ ...p, expiresOn: '2024-01-01' }));
    assert.deepEqual([v.fitToDispense, v.status, codes(v)], [false, 'expired', ['EXPIRED']]);
    assert.match(v.reasons[0].message, /2024-01-01/);
  });

  it('IN_TRANSIT: shipped to the pharmacy and not received yet', async () => {
    const { batch } = await productAndBatch(maker, 3);
    const [p] = await delivered(batch, 1, pharmacy, { receive: false });
    const v = await verifyPack(pharmacy, elementString(p));
    assert.deepEqual([v.fitToDispense, v.status, codes(v)], [false, 'in_transit', ['IN_TRANSIT']]);
  });

  it('the EU FMD decommission states: supplied (and the stored dispensed) here or at another location, sample, free sample, locked, exported', async () => {
    // No decommission event exists yet: the states are set in the database, which the migration now allows.
    const setState = (p: Pack, state: string) => server.runtime.dataSource.query('UPDATE custody_items SET state = $2 WHERE id = $1', [p.id, state]);
    const cases: Array<[string, string, string]> = [
      ['supplied', 'supplied', 'ALREADY_SUPPLIED'],
      ['dispensed', 'supplied', 'ALREADY_SUPPLIED'],
      ['sample', 'sample', 'SAMPLE'],
      ['free_sample', 'free_sample', 'FREE_SAMPLE'],
      ['locked', 'locked', 'LOCKED'],
      ['exported', 'exported', 'EXPORTED'],
    ];
    for (const [i, [stored, status, code]] of cases.entries()) {
      const p = held[4 + i];
      await setState(p, stored);
      const v = await verifyPack(pharmacy, elementString(p));
      assert.deepEqual([v.fitToDispense, v.status, codes(v)], [false, status, [code]], stored);
      assert.deepEqual([v.reasons[0].emvs, v.reasons[0].nmvs], ['A24', 'NMVS_NC_PCK_22'], stored);
    }
    const supplied = held[4];
    assert.match((await verifyPack(pharmacy, elementString(supplied))).reasons[0].message, /supplied \(dispensed\) here/);
    const elsewhere = (await verifyPack(otherPharmacy, elementString(supplied))).reasons[0].message;
    assert.match(elsewhere, /at another location/);
    assert.ok(!elsewhere.includes(pharmacy.participantId), 'the other location is not named');
    // The constraint still refuses what is no state at all.
    await assert.rejects(setState(held[10], 'misplaced'), /custody_items_state_check/);
  });

  it('who holds it: custodianId for the custodian and regulators only; the verdict itself for every custodian role', async () => {
    const p = held[11];
    const mine = await verifyPack(pharmacy, elementString(p));
    assert.equal(mine.pack?.custodianId, pharmacy.participantId);
    assert.equal((await verifyPack(net.regulator, elementString(p))).pack?.custodianId, pharmacy.participantId);
    for (const [who, client] of [['another pharmacy', otherPharmacy], ['its manufacturer', maker], ['a wholesaler', wholesaler]] as const) {
      const v = await verifyPack(client, elementString(p));
      assert.deepEqual([v.fitToDispense, v.pack?.id, v.pack?.custodianId], [true, p.id, null], who);
      assert.ok(!JSON.stringify(v).includes(pharmacy.participantId), `${who} learns nothing of the holder`);
    }
    assert.equal((await refusal(() => verifyPack(prescriber, elementString(p)))).code, 'FORBIDDEN_ROLE');
    const anonymous = new GraphqlClient(`${server.url}/graphql`);
    const q = 'query($s: String) { verifyPack(scan: $s) { fitToDispense } }';
    assert.equal((await refusal(() => anonymous.request(q, { s: elementString(p) }))).code, 'UNAUTHENTICATED');
  });

  it('an unreadable scan is refused with its code and sentence, not answered with a verdict', async () => {
    const p = held[0];
    const badCheck = `${p.gtin.slice(0, 13)}${(Number(p.gtin[13]) + 1) % 10}`;
    const refusals: Array<[string, Parameters<typeof verifyPack>[1]]> = [
      ['INVALID_SCAN', 'hello, this is no barcode'],
      ['INVALID_SCAN', `01${p.gtin}17${yymmdd(p.expiresOn)}10${p.lot}`],
      ['INVALID_GTIN', elementString({ ...p, gtin: badCheck })],
      ['INVALID_EXPIRY', `01${p.gtin}17281332${`10${p.lot}`}${GS}21${p.serial}`],
      ['INVALID_GTIN', { gtin: '123', serial: p.serial }],
      ['INVALID_SERIAL', { gtin: p.gtin, serial: 'has space' }],
    ];
    for (const [code, scan] of refusals) {
      const r = await refusal(() => verifyPack(pharmacy, scan));
      assert.equal(r.code, code, `${JSON.stringify(scan)}: ${r.message}`);
      assert.ok(r.message.length > 10, r.message);
    }
    const q = 'query($s: String, $f: PackFieldsInput) { verifyPack(scan: $s, fields: $f) { fitToDispense } }';
    assert.equal((await refusal(() => pharmacy.query(q, {}))).code, 'BAD_REQUEST');
    assert.equal((await refusal(() => pharmacy.query(q, { s: elementString(p), f: { gtin: p.gtin, serial: p.serial } }))).code, 'BAD_REQUEST');
  });
});
