// Dispensing (issue 8) and the other EU FMD decommissions with their undo, one scenario per rule and named
// after it, end to end through the SDK against the real API. Every refusal asserts its code and that nothing
// was stored. Recalls are real signed recall.initiated events (the test network's regulator recalls a batch of
// its own for the purpose); quarantine, batch expiry and the passing of the undo window would need waiting:
// those facts are set in the database (as test/pack-verification.e2e.spec.ts does), and each place says so.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { auditDatabase, withDatabaseSnapshot } from '@pharmatrace/audit';
import { packAssetId, parseBatchAssetId } from '@pharmatrace/custody/custody-events';
import {
  commissionPacks, decommission, dispense, initiateRecall, issuePrescription, item, pack, patientPseudonym, PharmaTraceClient, prescription, PrescriptionSpec, receive,
  registerBatch, registerProduct, reinstateParticipant, reportDisposal, ship, suspendParticipant, undoDecommission, undoDispense, verifyPack,
} from '@pharmatrace/sdk';
import { sealEverything, startTestServer, TestServer } from './support/test-server';
import { createTestNetwork, knowingHeads, refusedWithNothingStored as storedNothing, TestNetwork } from './support/test-network';
import { newGtin, newSscc, productSpec } from './support/custody-fixture';

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const GS = '\x1d';
const SECRET = randomBytes(32);

interface Pack {
  id: string;
  gtin: string;
  serial: string;
  /** What the counter scans: (01) GTIN (21) serial as a GS1 element string. */
  scan: string;
}

describe('dispensing', () => {
  let server: TestServer;
  let net: TestNetwork;
  let maker: PharmaTraceClient;
  let pharmacy: PharmaTraceClient;
  let otherPharmacy: PharmaTraceClient;
  let dr: PharmaTraceClient;
  /** Insulin glargine 100 U/mL solution for injection, and a second GTIN of the same description. */
  let gtin: string;
  let sameDescriptionGtin: string;
  /** Another medicine altogether. */
  let otherGtin: string;
  let batch: string;
  let pool: Pack[];
  const patient = patientPseudonym(SECRET, 'AB-123456-C');

  const refusedWithNothingStored = (code: string, fn: () => Promise<unknown>) => storedNothing(server, code, fn);
  const db = <T = unknown>(sql: string, params: unknown[] = []): Promise<T[]> => server.runtime.dataSource.query(sql, params);

  async function delivered(batchId: string, count: number, to: PharmaTraceClient): Promise<Pack[]> {
    const { gtin: g } = parseBatchAssetId(batchId)!;
    const { serials } = await commissionPacks(maker, batchId, count);
    const packs = serials.map((serial) => ({ id: packAssetId(g, serial), gtin: g, serial, scan: `01${g}21${serial}` }));
    const { shipment } = await ship(maker, to.participantId, packs.map((p) => p.id));
    await receive(to, shipment);
    return packs;
  }
  const take = (n: number): Pack[] => pool.splice(0, n);
  /** A batch of its own with `count` packs delivered to the pharmacy, for a test that recalls it. */
  async function batchAtPharmacy(lotPrefix: string, count: number): Promise<{ batch: string; packs: Pack[] }> {
    const id = (await registerBatch(maker, { gtin, lot: `${lotPrefix}${Date.now() % 1e6}`, quantity: 10, manufacturedOn: '2026-01-10', expiresOn: '2028-01-31' })).id;
    return { batch: id, packs: await delivered(id, count, pharmacy) };
  }
  /** A real recall: the network's regulator signs recall.initiated for the batch. */
  const recallBatch = async (batchId: string) =>
    initiateRecall(net.regulator, {
      class: 'II',
      reason: 'out-of-specification assay result',
      instructions: 'Quarantine all stock of this batch and return it to the manufacturer.',
      notifyPatients: false,
      batches: [batchId],
    });
  const scans = (packs: Pack[]): string[] => packs.map((p) => p.scan);

  async function rx(overrides: Partial<PrescriptionSpec> = {}): Promise<string> {
    const spec: PrescriptionSpec = { patient, product: { gtin }, quantity: 1, refills: 0, validFrom: day(0), validUntil: day(90), controlledClass: 'none', ...overrides };
    return (await issuePrescription(dr, spec)).id;
  }
  const remaining = async (id: string): Promise<{ remaining: number; state: string }> => {
    const p = (await prescription(dr, id))!;
    return { remaining: p.remaining, state: p.state };
  };
  const stateOf = async (id: string): Promise<string> => (await db<{ state: string }>('SELECT state FROM custody_items WHERE id = $1', [id]))[0].state;

  before(async () => {
    server = await startTestServer();
    net = await createTestNetwork(server);
    [maker, pharmacy, otherPharmacy, dr] = await Promise.all([
      net.join('manufacturer', 'dx-maker'), net.join('pharmacy', 'dx-pharmacy'), net.join('pharmacy', 'dx-other-pharmacy'), net.join('prescriber', 'dx-dr'),
    ]);
    [gtin, sameDescriptionGtin, otherGtin] = [newGtin(), newGtin(), newGtin()];
    await registerProduct(maker, productSpec(gtin));
    await registerProduct(maker, productSpec(sameDescriptionGtin, { name: 'Insulin glargine 100 U/mL vial', activeIngredient: '  Insulin  Glargine ', strength: '100 u/mL' }));
    await registerProduct(maker, productSpec(otherGtin, { name: 'Amoxicillin 500 mg', activeIngredient: 'amoxicillin', strength: '500 mg', form: 'capsule' }));
    batch = (await registerBatch(maker, { gtin, lot: `DX${Date.now() % 1e6}`, quantity: 500, manufacturedOn: '2026-01-10', expiresOn: '2028-01-31' })).id;
    pool = await delivered(batch, 60, pharmacy);
  });
  after(async () => server?.close());

  it('dispense: a fit pack is supplied, the prescription counts it, and verifyPack then answers ALREADY_SUPPLIED', async () => {
    const id = await rx({ quantity: 1, refills: 1 });
    const [p] = take(1);
    const receipt = await dispense(pharmacy, { prescription: id, patient, scans: [`]d2${p.scan}`] });
    assert.deepEqual(receipt.result, { prescription: `prescription:${id}`, supplied: 1, remaining: 1 });
    assert.equal(receipt.type, 'dispensing.supplied');
    assert.equal((await item(pharmacy, p.id))?.state, 'supplied');
    assert.deepEqual(await remaining(id), { remaining: 1, state: 'active' });
    // the pharmacy sees the prescription with the pseudonym, and its count went down
    assert.equal((await prescription(pharmacy, id, patient))?.remaining, 1);
    const v = await verifyPack(pharmacy, p.scan);
    assert.deepEqual([v.fitToDispense, v.status, v.reasons.map((r) => r.code), v.reasons[0].emvs], [false, 'supplied', ['ALREADY_SUPPLIED'], 'A24']);
    assert.match(v.reasons[0].message, /supplied \(dispensed\) here/);
  });

  it('partial fill then second fill: 1 of 3, then the other 2; the prescription is exhausted', async () => {
    const id = await rx({ quantity: 3 });
    const packs = take(3);
    assert.equal((await dispense(pharmacy, { prescription: id, patient, scans: scans(packs.slice(0, 1)) })).result.remaining, 2);
    assert.deepEqual(await remaining(id), { remaining: 2, state: 'active' });
    assert.equal((await dispense(pharmacy, { prescription: id, patient, scans: scans(packs.slice(1)) })).result.remaining, 0);
    assert.deepEqual(await remaining(id), { remaining: 0, state: 'exhausted' });
  });

  it('two packs at once: both supplied in one event, typed fields and a Digital Link alike', async () => {
    const id = await rx({ quantity: 2 });
    const [a, b] = take(2);
    const receipt = await dispense(pharmacy, {
      prescription: id,
      patient,
      scans: [{ gtin: a.gtin, serial: a.serial }, `https://id.example/01/${b.gtin}/21/${encodeURIComponent(b.serial)}`],
    });
    assert.deepEqual([receipt.result.supplied, receipt.result.remaining], [2, 0]);
    assert.deepEqual([await stateOf(a.id), await stateOf(b.id)], ['supplied', 'supplied']);
  });

  it('pack in a case the pharmacy holds: dispensed, and taken out of the case', async () => {
    const { gtin: g } = parseBatchAssetId(batch)!;
    const { serials } = await commissionPacks(maker, batch, 3);
    const packs = serials.map((s) => packAssetId(g, s));
    const box = newSscc();
    await pack(maker, { id: box, kind: 'case' }, packs, { newContainer: true });
    const { shipment } = await ship(maker, pharmacy.participantId, [box]);
    await receive(pharmacy, shipment);
    const id = await rx();
    await dispense(pharmacy, { prescription: id, patient, scans: [`01${g}21${serials[0]}`] });
    const out = await item(pharmacy, packs[0]);
    assert.deepEqual([out?.state, out?.parentId, out?.custodianId], ['supplied', null, pharmacy.participantId]);
    const open = await db<{ n: number }>('SELECT count(*)::int AS n FROM containment_log WHERE child_id = $1 AND to_seq IS NULL', [packs[0]]);
    assert.equal(open[0].n, 0, 'its containment is closed');
    const rest = await pharmacy.query<{ containerContents: string[] }>('query($id: String!) { containerContents(id: $id) }', { id: box });
    assert.deepEqual(rest.containerContents.sort(), packs.slice(1).sort());
  });

  it('UNKNOWN_PRESCRIPTION: a wrong pseudonym answers exactly like an id that does not exist', async () => {
    const id = await rx();
    const [p] = take(1);
    const wrong = await refusedWithNothingStored('UNKNOWN_PRESCRIPTION', () => dispense(pharmacy, { prescription: id, patient: patientPseudonym(SECRET, 'ZZ-999999-Z'), scans: [p.scan] }));
    assert.equal(wrong.message, `No prescription prescription:${id} exists.`);
    const missing = await refusedWithNothingStored('UNKNOWN_PRESCRIPTION', () => dispense(pharmacy, { prescription: 'no-such-prescription', patient, scans: [p.scan] }));
    assert.equal(missing.message, 'No prescription prescription:no-such-prescription exists.');
    assert.equal(await stateOf(p.id), 'active');
  });

  it('PRESCRIPTION_CANCELLED: a cancelled prescription dispenses nothing', async () => {
    const id = await rx();
    await dr.query('mutation($i: SignedEventInput!) { cancelPrescription(input: $i) { seq } }', {
      i: await dr.signWithHeads('prescription.cancelled', [`prescription:${id}`], { v: 1, id, reason: 'patient allergic' }),
    });
    const [p] = take(1);
    await refusedWithNothingStored('PRESCRIPTION_CANCELLED', () => dispense(pharmacy, { prescription: id, patient, scans: [p.scan] }));
  });

  it('PRESCRIPTION_EXPIRED: past validUntil (moved back in the database)', async () => {
    const id = await rx();
    await db('UPDATE prescriptions SET valid_from = $2, valid_until = $3 WHERE id = $1', [id, day(-30), day(-1)]);
    const [p] = take(1);
    const r = await refusedWithNothingStored('PRESCRIPTION_EXPIRED', () => dispense(pharmacy, { prescription: id, patient, scans: [p.scan] }));
    assert.match(r.message, new RegExp(`valid until ${day(-1)}`));
  });

  it('PRESCRIPTION_NOT_YET_VALID: before validFrom', async () => {
    const id = await rx({ validFrom: day(5) });
    const [p] = take(1);
    const r = await refusedWithNothingStored('PRESCRIPTION_NOT_YET_VALID', () => dispense(pharmacy, { prescription: id, patient, scans: [p.scan] }));
    assert.match(r.message, new RegExp(`from ${day(5)}`));
  });

  it('PRESCRIPTION_EXHAUSTED: more packs than remain, saying how many do; nothing once exhausted', async () => {
    const id = await rx({ quantity: 2 });
    const packs = take(4);
    await dispense(pharmacy, { prescription: id, patient, scans: [packs[0].scan] });
    const r = await refusedWithNothingStored('PRESCRIPTION_EXHAUSTED', () => dispense(pharmacy, { prescription: id, patient, scans: scans(packs.slice(1, 3)) }));
    assert.match(r.message, /allows 1 more pack\(s\), and this dispense names 2/);
    await dispense(pharmacy, { prescription: id, patient, scans: [packs[1].scan] });
    const after = await refusedWithNothingStored('PRESCRIPTION_EXHAUSTED', () => dispense(pharmacy, { prescription: id, patient, scans: [packs[3].scan] }));
    assert.match(after.message, /exhausted/);
    assert.deepEqual([await stateOf(packs[2].id), await stateOf(packs[3].id)], ['active', 'active']);
  });

  it('FILL_QUANTITY_EXCEEDED: one dispense is one fill (quantity 2, refills 1: 3 at once refused; 2 then 2; then exhausted)', async () => {
    const id = await rx({ quantity: 2, refills: 1 });
    const packs = take(5);
    const r = await refusedWithNothingStored('FILL_QUANTITY_EXCEEDED', () => dispense(pharmacy, { prescription: id, patient, scans: scans(packs.slice(0, 3)) }));
    assert.match(r.message, /at most 2 pack\(s\) per fill, and 4 remain in total/);
    assert.deepEqual(await remaining(id), { remaining: 4, state: 'active' });
    assert.deepEqual(await Promise.all(packs.slice(0, 3).map((p) => stateOf(p.id))), ['active', 'active', 'active']);
    assert.equal((await dispense(pharmacy, { prescription: id, patient, scans: scans(packs.slice(0, 2)) })).result.remaining, 2);
    assert.equal((await dispense(pharmacy, { prescription: id, patient, scans: scans(packs.slice(2, 4)) })).result.remaining, 0);
    assert.deepEqual(await remaining(id), { remaining: 0, state: 'exhausted' });
    await refusedWithNothingStored('PRESCRIPTION_EXHAUSTED', () => dispense(pharmacy, { prescription: id, patient, scans: [packs[4].scan] }));
  });

  it('BATCH_MISMATCH and EXPIRY_MISMATCH: the lot and expiry scanned are checked against the pack (EMVS A68, A52); the right ones are supplied', async () => {
    const { lot } = parseBatchAssetId(batch)!;
    const otherLot = `OL${Date.now() % 1e6}`;
    await registerBatch(maker, { gtin, lot: otherLot, quantity: 10, manufacturedOn: '2026-01-10', expiresOn: '2028-06-30' });
    const id = await rx({ quantity: 2 });
    const [p, q] = take(2);
    // (01) GTIN (17) expiry YYMMDD (10) lot <GS> (21) serial
    const scanWith = (x: Pack, l: string, yymmdd: string) => `01${x.gtin}17${yymmdd}10${l}${GS}21${x.serial}`;
    const wrongLot = await refusedWithNothingStored('BATCH_MISMATCH', () => dispense(pharmacy, { prescription: id, patient, scans: [scanWith(p, otherLot, '280630')] }));
    assert.match(wrongLot.message, new RegExp(`another lot than the ${otherLot} scanned`));
    await refusedWithNothingStored('UNKNOWN_BATCH', () => dispense(pharmacy, { prescription: id, patient, scans: [scanWith(p, 'NOSUCHLOT', '280131')] }));
    const wrongExpiry = await refusedWithNothingStored('EXPIRY_MISMATCH', () => dispense(pharmacy, { prescription: id, patient, scans: [scanWith(p, lot, '280229')] }));
    assert.match(wrongExpiry.message, /expiry scanned \(2028-02-29\)/);
    assert.equal(await stateOf(p.id), 'active');
    assert.deepEqual(await remaining(id), { remaining: 2, state: 'active' });
    // the signed data carries them, parallel to packs; the server refuses a malformed entry
    const bad = await pharmacy.signWithHeads('dispensing.supplied', [q.id], { v: 1, prescription: id, patient, packs: [q.id], scanned: [{ lot, expiry: '2028-02-30' }] });
    await refusedWithNothingStored('INVALID_EVENT_DATA', () => pharmacy.query('mutation($i: SignedEventInput!) { dispense(input: $i) { seq } }', { i: bad }));
    const short = await pharmacy.signWithHeads('dispensing.supplied', [q.id], { v: 1, prescription: id, patient, packs: [q.id], scanned: [] });
    await refusedWithNothingStored('INVALID_EVENT_DATA', () => pharmacy.query('mutation($i: SignedEventInput!) { dispense(input: $i) { seq } }', { i: short }));
    const receipt = await dispense(pharmacy, { prescription: id, patient, scans: [scanWith(p, lot, '280131'), q.scan] });
    assert.deepEqual([receipt.result.supplied, receipt.result.remaining], [2, 0]);
    assert.deepEqual([await stateOf(p.id), await stateOf(q.id)], ['supplied', 'supplied']);
  });

  it('PRESCRIBER_NOT_ACTIVE: the prescriber is suspended', async () => {
    const id = await rx();
    const [p] = take(1);
    await suspendParticipant(net.regulator, dr.participantId, 'under review by the medical board');
    try {
      await refusedWithNothingStored('PRESCRIBER_NOT_ACTIVE', () => dispense(pharmacy, { prescription: id, patient, scans: [p.scan] }));
    } finally {
      await reinstateParticipant(net.regulator, dr.participantId, 'review closed');
    }
    await dispense(pharmacy, { prescription: id, patient, scans: [p.scan] });
  });

  it('PRODUCT_MISMATCH: another GTIN than prescribed, or another ingredient than described; the same description under another GTIN is fine', async () => {
    const [other] = await delivered((await registerBatch(maker, { gtin: otherGtin, lot: `AM${Date.now() % 1e6}`, quantity: 10, manufacturedOn: '2026-01-10', expiresOn: '2028-01-31' })).id, 1, pharmacy);
    const [same] = await delivered((await registerBatch(maker, { gtin: sameDescriptionGtin, lot: `SD${Date.now() % 1e6}`, quantity: 10, manufacturedOn: '2026-01-10', expiresOn: '2028-01-31' })).id, 1, pharmacy);
    const byGtin = await rx();
    await refusedWithNothingStored('PRODUCT_MISMATCH', () => dispense(pharmacy, { prescription: byGtin, patient, scans: [same.scan] }));
    const byDescription = await rx({ product: { activeIngredient: 'insulin glargine', strength: '100 U/ML', form: 'Solution for injection' } });
    const r = await refusedWithNothingStored('PRODUCT_MISMATCH', () => dispense(pharmacy, { prescription: byDescription, patient, scans: [other.scan] }));
    assert.match(r.message, /Amoxicillin/);
    await dispense(pharmacy, { prescription: byDescription, patient, scans: [same.scan] });
    assert.equal(await stateOf(same.id), 'supplied');
  });

  it('NOT_IN_CUSTODY: another pharmacy’s pack (UNKNOWN_ITEM to a signer who cannot see it; NOT_IN_CUSTODY behind that)', async () => {
    const [theirs] = await delivered(batch, 1, otherPharmacy);
    const id = await rx();
    await refusedWithNothingStored('UNKNOWN_ITEM', () => dispense(pharmacy, { prescription: id, patient, scans: [theirs.scan] }));
    await refusedWithNothingStored('NOT_IN_CUSTODY', () => dispense(knowingHeads(pharmacy, net.regulator), { prescription: id, patient, scans: [theirs.scan] }));
    assert.equal(await stateOf(theirs.id), 'active');
  });

  it('QUARANTINED and RECALLED: refused with the state’s own code (quarantine set in the database; the recall a signed recall event)', async () => {
    const [q] = take(1);
    await db(`UPDATE custody_items SET state = 'quarantined' WHERE id = $1`, [q.id]);
    const { batch: recalledBatch, packs: [r] } = await batchAtPharmacy('RC', 1);
    const { recall } = await recallBatch(recalledBatch);
    assert.equal(await stateOf(r.id), 'recalled', 'the recall turned the pharmacy’s pack recalled');
    const id = await rx();
    await refusedWithNothingStored('QUARANTINED', () => dispense(pharmacy, { prescription: id, patient, scans: [q.scan] }));
    const recalled = await refusedWithNothingStored('RECALLED', () => dispense(pharmacy, { prescription: id, patient, scans: [r.scan] }));
    assert.match(recalled.message, /recall/);
    assert.ok(recalled.message.includes(recall), recalled.message);
    assert.deepEqual(await remaining(id), { remaining: 1, state: 'active' });
  });

  it('EXPIRED: a pack whose batch expired (the expiry moved back in the database)', async () => {
    const expiring = (await registerBatch(maker, { gtin, lot: `EX${Date.now() % 1e6}`, quantity: 10, manufacturedOn: '2026-01-10', expiresOn: '2028-01-31' })).id;
    const [p] = await delivered(expiring, 1, pharmacy);
    await db('UPDATE batches SET expires_on = $2 WHERE id = $1', [expiring, day(-1)]);
    const id = await rx();
    const r = await refusedWithNothingStored('EXPIRED', () => dispense(pharmacy, { prescription: id, patient, scans: [p.scan] }));
    assert.match(r.message, new RegExp(`expired on ${day(-1)}`));
  });

  it('ALREADY_SUPPLIED: a pack already dispensed is refused against any prescription; a supplied pack cannot be shipped either', async () => {
    const [p] = take(1);
    await dispense(pharmacy, { prescription: await rx(), patient, scans: [p.scan] });
    const second = await rx();
    await refusedWithNothingStored('ALREADY_SUPPLIED', () => dispense(pharmacy, { prescription: second, patient, scans: [p.scan] }));
    await refusedWithNothingStored('ITEM_NOT_AVAILABLE', () => ship(pharmacy, otherPharmacy.participantId, [p.id]));
    assert.deepEqual(await remaining(second), { remaining: 1, state: 'active' });
  });

  it('INVALID_EVENT_DATA: the same pack twice in one dispense (the SDK refuses it; so does the server)', async () => {
    const [p] = take(1);
    const id = await rx({ quantity: 2 });
    await refusedWithNothingStored('INVALID_EVENT_DATA', () => dispense(pharmacy, { prescription: id, patient, scans: [p.scan, `]d2${p.scan}`] }));
    const signed = await pharmacy.signWithHeads('dispensing.supplied', [p.id], { v: 1, prescription: id, patient, packs: [p.id, p.id] });
    const r = await refusedWithNothingStored('INVALID_EVENT_DATA', () => pharmacy.query('mutation($i: SignedEventInput!) { dispense(input: $i) { seq } }', { i: signed }));
    assert.match(r.message, /listed twice/);
    assert.deepEqual(await remaining(id), { remaining: 2, state: 'active' });
  });

  it('decommission sample, free_sample, locked, exported: each pack takes its state, and verifyPack says so', async () => {
    const packs = take(4);
    const kinds = ['sample', 'free_sample', 'locked', 'exported'] as const;
    for (const [i, kind] of kinds.entries()) {
      const receipt = await decommission(pharmacy, kind, [packs[i].id], `${kind} for the test`);
      assert.deepEqual(receipt.result, { [kind]: 1 });
      assert.equal(await stateOf(packs[i].id), kind);
      const v = await verifyPack(pharmacy, packs[i].scan);
      assert.deepEqual([v.status, v.reasons.map((r) => r.code)], [kind, [kind.toUpperCase()]]);
    }
    // not active any more: no dispense, no second decommission, no shipping
    const id = await rx();
    await refusedWithNothingStored('LOCKED', () => dispense(pharmacy, { prescription: id, patient, scans: [packs[2].scan] }));
    await refusedWithNothingStored('SAMPLE', () => decommission(pharmacy, 'exported', [packs[0].id], 'again'));
    await refusedWithNothingStored('ITEM_NOT_AVAILABLE', () => ship(pharmacy, otherPharmacy.participantId, [packs[3].id]));
    // EU FMD: a locked pack may still be destroyed
    await decommission(pharmacy, 'destroyed', [packs[2].id], 'investigation found it falsified');
    assert.equal(await stateOf(packs[2].id), 'destroyed');
  });

  it('undo within the window: the pack is active again and the prescription gets it back (an exhausted one is active again); each pack once', async () => {
    const id = await rx({ quantity: 2 });
    const [a, b] = take(2);
    const supplied = await dispense(pharmacy, { prescription: id, patient, scans: scans([a, b]) });
    assert.deepEqual(await remaining(id), { remaining: 0, state: 'exhausted' });
    const undone = await undoDispense(pharmacy, supplied.hash, [a.id]);
    assert.deepEqual(undone.result, { undone: 1, kind: 'supplied', prescription: `prescription:${id}`, remaining: 1 });
    assert.deepEqual(await remaining(id), { remaining: 1, state: 'active' });
    assert.deepEqual([await stateOf(a.id), await stateOf(b.id)], ['active', 'supplied']);
    await refusedWithNothingStored('ALREADY_UNDONE', () => undoDispense(pharmacy, supplied.hash, [a.id]));
    await undoDispense(pharmacy, supplied.hash, [b.id]);
    assert.deepEqual(await remaining(id), { remaining: 2, state: 'active' });
    // the pack can be dispensed again
    await dispense(pharmacy, { prescription: id, patient, scans: [a.scan] });
    assert.equal((await verifyPack(pharmacy, b.scan)).fitToDispense, true);
  });

  it('UNDO_WINDOW_PASSED: after DECOMMISSION_UNDO_DAYS (the decommission’s time moved back in the database), with the deadline', async () => {
    const [p, s] = take(2);
    const supplied = await dispense(pharmacy, { prescription: await rx(), patient, scans: [p.scan] });
    const sample = await decommission(pharmacy, 'sample', [s.id], 'to the agency');
    await db(`UPDATE decommissions SET at = at - interval '10 days 1 minute' WHERE event_hash = ANY($1)`, [[supplied.hash, sample.hash]]);
    const r = await refusedWithNothingStored('UNDO_WINDOW_PASSED', () => undoDispense(pharmacy, supplied.hash, [p.id]));
    const [{ deadline }] = await db<{ deadline: string }>(`SELECT to_char((at + interval '10 days') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS deadline FROM decommissions WHERE event_hash = $1`, [supplied.hash]);
    assert.ok(r.message.includes(deadline), r.message);
    await refusedWithNothingStored('UNDO_WINDOW_PASSED', () => undoDecommission(pharmacy, sample.hash, [s.id]));
  });

  it('NOT_DECOMMISSIONED_BY_YOU: another pharmacy cannot undo (UNKNOWN_ITEM while it cannot see the pack)', async () => {
    const [p] = take(1);
    const supplied = await dispense(pharmacy, { prescription: await rx(), patient, scans: [p.scan] });
    await refusedWithNothingStored('UNKNOWN_ITEM', () => undoDispense(otherPharmacy, supplied.hash, [p.id]));
    await refusedWithNothingStored('NOT_DECOMMISSIONED_BY_YOU', () => undoDispense(knowingHeads(otherPharmacy, net.regulator), supplied.hash, [p.id]));
    // nor can an event that decommissioned nothing be named
    const r = await refusedWithNothingStored('NOT_DECOMMISSIONED_BY_YOU', () => undoDispense(pharmacy, 'ab'.repeat(32), [p.id]));
    assert.match(r.message, /You signed no supply or decommission/);
  });

  it('UNDO_NOT_ALLOWED: destroyed and stolen are final', async () => {
    const [d, s] = take(2);
    const destroyed = await decommission(pharmacy, 'destroyed', [d.id], 'broken');
    const stolen = await reportDisposal(pharmacy, 'stolen', [s.id], 'burglary');
    await refusedWithNothingStored('UNDO_NOT_ALLOWED', () => undoDecommission(pharmacy, destroyed.hash, [d.id]));
    await refusedWithNothingStored('UNDO_NOT_ALLOWED', () => undoDecommission(pharmacy, stolen.hash, [s.id]));
  });

  it('RECALLED and EXPIRED on undo: never once the pack’s batch was recalled (a signed recall) or expired (set in the database) since', async () => {
    const { batch: recalledBatch, packs: [p] } = await batchAtPharmacy('UR', 1);
    const supplied = await dispense(pharmacy, { prescription: await rx(), patient, scans: [p.scan] });
    const { recall } = await recallBatch(recalledBatch);
    // Supplied before the recall, the pack keeps its state; it must never go back on sale.
    assert.equal(await stateOf(p.id), 'supplied');
    const r = await refusedWithNothingStored('RECALLED', () => undoDispense(pharmacy, supplied.hash, [p.id]));
    assert.ok(r.message.includes(recall), r.message);
    assert.equal(await stateOf(p.id), 'supplied');

    const expiring = (await registerBatch(maker, { gtin, lot: `UX${Date.now() % 1e6}`, quantity: 10, manufacturedOn: '2026-01-10', expiresOn: '2028-01-31' })).id;
    const [e] = await delivered(expiring, 1, pharmacy);
    const sample = await decommission(pharmacy, 'free_sample', [e.id], 'for a doctor');
    await db('UPDATE batches SET expires_on = $2 WHERE id = $1', [expiring, day(-1)]);
    await refusedWithNothingStored('EXPIRED', () => undoDecommission(pharmacy, sample.hash, [e.id]));
  });

  it('unlock after the window: undo of locked has no time limit', async () => {
    const [p] = take(1);
    const locked = await decommission(pharmacy, 'locked', [p.id], 'suspected falsification');
    await db(`UPDATE decommissions SET at = at - interval '400 days' WHERE event_hash = $1`, [locked.hash]);
    const r = await undoDecommission(pharmacy, locked.hash, [p.id]);
    assert.deepEqual(r.result, { undone: 1, kind: 'locked' });
    assert.equal(await stateOf(p.id), 'active');
  });

  it('audit: the ledger replays clean after every dispense, decommission, undo and refusal (prescriptions and pack states included)', async () => {
    await sealEverything(server);
    const report = await withDatabaseSnapshot(server.runtime.dataSource, (db) => auditDatabase(db));
    assert.equal(report.ok, true, report.ok ? '' : `${report.failure.code}: ${report.failure.where} — ${report.failure.why}`);
  });
});
