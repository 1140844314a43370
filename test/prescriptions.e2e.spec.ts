// Prescriptions (issue 8), one scenario per rule and named after it: what a prescriber may sign, the rules
// from practice (21 CFR 1306.12 and 1306.22 for controlled classes), the patient as a pseudonym only,
// and cancelling. Every refusal asserts its code and that nothing was stored.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { auditDatabase, withDatabaseSnapshot } from '@pharmatrace/audit';
import { EventPipeline } from '@pharmatrace/ledger';
import { addDays, addMonths, prescriptionAssetId, PrescriptionEventTypes, PrescriptionIssuedData } from '@pharmatrace/prescriptions/prescription-events';
import {
  cancelPrescription, issuePrescription, normaliseNationalId, patientPseudonym, PharmaTraceClient, prescription, PrescriptionSpec, registerProduct,
  reinstateParticipant, renewLicence, suspendParticipant, uuidv7,
} from '@pharmatrace/sdk';
import { sealEverything, startTestServer, TestServer } from './support/test-server';
import { createTestNetwork, knowingHeads, refusedWithNothingStored as storedNothing, TestNetwork } from './support/test-network';
import { newGtin, productSpec } from './support/custody-fixture';

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
/** The prescriber's own pseudonym secret: 32 random bytes that never leave its practice system. */
const SECRET = randomBytes(32);
const wrongCheckDigit = (n: string): string => `${n.slice(0, -1)}${(Number(n[n.length - 1]) + 1) % 10}`;

describe('patient pseudonym (SDK)', () => {
  it('patient pseudonym: HMAC-SHA-256 of the normalised national id with the prescriber’s secret, 64 lowercase hex', () => {
    const expected = createHmac('sha256', SECRET).update('AB123456C').digest('hex');
    assert.equal(patientPseudonym(SECRET, ' ab-123 456\tc '), expected);
    assert.equal(patientPseudonym(new Uint8Array(SECRET), 'AB 123–456 C'), expected);
    assert.match(expected, /^[0-9a-f]{64}$/);
    assert.equal(normaliseNationalId(' 123-45 6789x '), '123456789X');
    // another prescriber's secret gives another pseudonym: patients are not linkable across prescribers
    assert.notEqual(patientPseudonym(randomBytes(32), 'AB123456C'), expected);
    // a string secret is its UTF-8 bytes
    const text = 'a pseudonym secret of 32 characters!';
    assert.equal(patientPseudonym(text, 'x1'), createHmac('sha256', Buffer.from(text, 'utf8')).update('X1').digest('hex'));
  });

  it('patient pseudonym: a secret under 32 bytes or an empty id is refused', () => {
    assert.throws(() => patientPseudonym(randomBytes(16), 'AB123456C'), /at least 32 bytes/);
    assert.throws(() => patientPseudonym(SECRET, ' - '), /empty/);
  });
});

describe('prescriptions', () => {
  let server: TestServer;
  let net: TestNetwork;
  let dr: PharmaTraceClient;
  let otherDr: PharmaTraceClient;
  let pharmacy: PharmaTraceClient;
  let maker: PharmaTraceClient;
  let gtin: string;
  const patient = patientPseudonym(SECRET, 'AB-123456-C');

  before(async () => {
    server = await startTestServer();
    net = await createTestNetwork(server);
    [dr, otherDr, pharmacy, maker] = await Promise.all([
      net.join('prescriber', 'rx-dr-rivera'), net.join('prescriber', 'rx-dr-okafor'), net.join('pharmacy', 'rx-pharmacy'), net.join('manufacturer', 'rx-maker'),
    ]);
    gtin = newGtin();
    await registerProduct(maker, productSpec(gtin));
  });
  after(async () => server?.close());

  const refusedWithNothingStored = (code: string, fn: () => Promise<unknown>) => storedNothing(server, code, fn);
  const spec = (overrides: Partial<PrescriptionSpec> = {}): PrescriptionSpec => ({
    patient,
    product: { gtin },
    quantity: 2,
    refills: 1,
    validFrom: day(0),
    validUntil: day(90),
    controlledClass: 'none',
    ...overrides,
  });
  const generic = { activeIngredient: 'oxycodone hydrochloride', strength: '5 mg', form: 'tablet' };
  const rows = (id: string) => server.runtime.dataSource.query('SELECT * FROM prescriptions WHERE id = $1', [id]) as Promise<unknown[]>;
  /** Signs a prescription.issued event with raw data (no SDK checks) and submits it through the prescriber's mutation. */
  const issueRaw = (client: PharmaTraceClient, data: Record<string, unknown>) => {
    const id = typeof data.id === 'string' ? data.id : uuidv7();
    const signed = client.sign({ type: PrescriptionEventTypes.issued, assets: [{ id: prescriptionAssetId(id), prev: null }], data: { v: 1, ...spec(), id, ...data } });
    return client.query('mutation($i: SignedEventInput!) { issuePrescription(input: $i) { seq } }', { i: signed });
  };

  it('issue by GTIN: a registered product; remaining = quantity × (1 + refills), state active', async () => {
    const { receipt, id } = await issuePrescription(dr, spec({ quantity: 3, refills: 2 }));
    assert.equal(receipt.type, PrescriptionEventTypes.issued);
    // the receipt is stored in the ledger: it names the prescription, never the patient
    assert.deepEqual(receipt.result, { prescription: prescriptionAssetId(id), remaining: 9 });
    const p = await prescription(dr, id);
    assert.ok(p);
    assert.deepEqual(
      { ...p, issuedSeq: undefined, updatedSeq: undefined },
      {
        id, assetId: prescriptionAssetId(id), prescriberId: dr.participantId, patient, product: { gtin, activeIngredient: null, strength: null, form: null },
        quantity: 3, refills: 2, remaining: 9, validFrom: day(0), validUntil: day(90), controlledClass: 'none', state: 'active', issuedSeq: undefined, updatedSeq: undefined,
      },
    );
    assert.equal(p.issuedSeq, receipt.seq);
    assert.equal(await dr.assetHead(prescriptionAssetId(id)), receipt.hash);
  });

  it('issue by active ingredient, strength and form: any matching registered product may be dispensed', async () => {
    const { id } = await issuePrescription(dr, spec({ product: generic, controlledClass: 'II', refills: 0, quantity: 1 }));
    const p = await prescription(dr, id);
    assert.deepEqual(p?.product, { gtin: null, ...generic });
    assert.equal(p?.remaining, 1);
  });

  it('prescription id already registered: ALREADY_REGISTERED asking for a new id', async () => {
    const { id } = await issuePrescription(dr, spec());
    const r = await refusedWithNothingStored('ALREADY_REGISTERED', () => issuePrescription(dr, spec({ id })));
    assert.equal(r.message, `Prescription prescription:${id} is already registered; give every prescription a new id (a fresh UUIDv7).`);
    // citing the prescription's head instead of null does not turn it into an update
    const data: PrescriptionIssuedData = { v: 1, ...spec(), id };
    const signed = await dr.signWithHeads(PrescriptionEventTypes.issued, [prescriptionAssetId(id)], data);
    assert.notEqual(signed.event.assets[0].prev, null);
    await refusedWithNothingStored('ALREADY_REGISTERED', () => dr.query('mutation($i: SignedEventInput!) { issuePrescription(input: $i) { seq } }', { i: signed }));
    // and an event that lists another asset is malformed
    const other = uuidv7();
    const twoAssets = dr.sign({ type: PrescriptionEventTypes.issued, assets: [{ id: prescriptionAssetId(other), prev: null }, { id: `product:${gtin}`, prev: null }], data: { ...data, id: other } });
    await refusedWithNothingStored('INVALID_EVENT_DATA', () => dr.query('mutation($i: SignedEventInput!) { issuePrescription(input: $i) { seq } }', { i: twoAssets }));
  });

  it('class II allows no refills: PRESCRIPTION_REFILLS_NOT_ALLOWED (21 CFR 1306.12)', async () => {
    const r = await refusedWithNothingStored('PRESCRIPTION_REFILLS_NOT_ALLOWED', () => issuePrescription(dr, spec({ product: generic, controlledClass: 'II', refills: 1 })));
    assert.match(r.message, /^A class II prescription cannot be refilled \(21 CFR 1306\.12\); it asks for 1 refill\(s\)\./);
    await issuePrescription(dr, spec({ product: generic, controlledClass: 'II', refills: 0 }));
  });

  it('classes III–V allow at most 5 refills: class IV with 6 refills is refused with PRESCRIPTION_REFILLS_NOT_ALLOWED', async () => {
    const diazepam = { activeIngredient: 'diazepam', strength: '5 mg', form: 'tablet' };
    const r = await refusedWithNothingStored('PRESCRIPTION_REFILLS_NOT_ALLOWED', () => issuePrescription(dr, spec({ product: diazepam, controlledClass: 'IV', refills: 6 })));
    assert.match(r.message, /^A class IV prescription may be refilled at most 5 times \(21 CFR 1306\.22\); it asks for 6\./);
    await issuePrescription(dr, spec({ product: diazepam, controlledClass: 'IV', refills: 5 }));
    // an uncontrolled medicine may have up to 11
    await issuePrescription(dr, spec({ refills: 11 }));
  });

  it('classes III–V are valid at most 6 months after issue: class III valid 7 months is refused with PRESCRIPTION_VALIDITY_INVALID', async () => {
    const codeine = { activeIngredient: 'codeine phosphate / paracetamol', strength: '30 mg / 500 mg', form: 'tablet' };
    const sevenMonths = addMonths(day(0), 7);
    const r = await refusedWithNothingStored('PRESCRIPTION_VALIDITY_INVALID', () => issuePrescription(dr, spec({ product: codeine, controlledClass: 'III', validUntil: sevenMonths })));
    assert.equal(
      r.message,
      `A class III prescription cannot be filled more than 6 months after its issue (21 CFR 1306.22): validUntil ${sevenMonths} is after ${addMonths(day(0), 6)}.`,
    );
    // exactly six months is allowed; an uncontrolled medicine may run for seven
    await issuePrescription(dr, spec({ product: codeine, controlledClass: 'III', validUntil: addMonths(day(0), 6) }));
    await issuePrescription(dr, spec({ validUntil: sevenMonths }));
  });

  it('validity window: validUntil before validFrom, validFrom before the day before issue, over a year, or ended before issue are refused', async () => {
    const window = (validFrom: string, validUntil: string) => refusedWithNothingStored('PRESCRIPTION_VALIDITY_INVALID', () => issuePrescription(dr, spec({ validFrom, validUntil })));
    assert.match((await window(day(10), day(9))).message, /^validUntil .* is before validFrom /);
    assert.match((await window(day(-2), day(30))).message, new RegExp(`^validFrom ${day(-2)} is more than a day before the prescription is issued \\(${day(0)}\\); it may start on ${day(-1)} at the earliest\\.$`));
    const overAYear = addDays(addMonths(day(0), 12), 1);
    assert.equal((await window(day(0), overAYear)).message, `A prescription is valid for at most one year: validUntil ${overAYear} is after ${addMonths(day(0), 12)}, a year from validFrom ${day(0)}.`);
    assert.match((await window(day(200), day(400))).message, /at most one year from its issue/);
    assert.match((await window(day(-1), day(-1))).message, /expired from the start/);
    // the boundaries hold: from yesterday, for exactly a year
    await issuePrescription(dr, spec({ validFrom: day(-1), validUntil: addMonths(day(-1), 12) }));
    // and a date that is not on the calendar is malformed data
    const r = await refusedWithNothingStored('INVALID_EVENT_DATA', () => issuePrescription(dr, spec({ validUntil: '2027-02-30' })));
    assert.equal(r.message, 'data.validUntil must be a real calendar date (years 0001–9999).');
  });

  it('patient is a pseudonym only: a name, a national id or upper-case hex is refused with INVALID_EVENT_DATA and a sentence', async () => {
    for (const notAPseudonym of ['Maria Gonzalez', 'AB-123456-C', patient.toUpperCase(), patient.slice(1), `${patient}0`]) {
      const r = await refusedWithNothingStored('INVALID_EVENT_DATA', () => issuePrescription(dr, spec({ patient: notAPseudonym })));
      assert.match(r.message, /^data\.patient must be the patient pseudonym: exactly 64 lowercase hex characters \(HMAC-SHA-256 .*never a name or a national id\.$/);
      // the refusal does not echo what was sent
      assert.ok(!r.message.includes(notAPseudonym), r.message);
    }
    assert.equal((await server.runtime.dataSource.query("SELECT count(*)::int AS n FROM prescriptions WHERE patient_pseudonym !~ '^[0-9a-f]{64}$'"))[0].n, 0);
  });

  it('quantity 1–100 packs, refills 0–11, a known controlled class and a valid GTIN: anything else is refused', async () => {
    for (const data of [{ quantity: 0 }, { quantity: 101 }, { quantity: 1.5 }, { refills: -1 }, { refills: 12 }, { controlledClass: 'CII' }, { controlledClass: 'I' }]) {
      await refusedWithNothingStored('INVALID_EVENT_DATA', () => issueRaw(dr, data));
    }
    await refusedWithNothingStored('INVALID_EVENT_DATA', () => issueRaw(dr, { product: { gtin, form: 'tablet' } }));
    await refusedWithNothingStored('INVALID_EVENT_DATA', () => issueRaw(dr, { product: { activeIngredient: 'x', strength: '1 mg' } }));
    await refusedWithNothingStored('INVALID_EVENT_DATA', () => issueRaw(dr, { name: 'Maria Gonzalez' }));
    const bad = wrongCheckDigit(gtin);
    const r = await refusedWithNothingStored('INVALID_GTIN', () => issuePrescription(dr, spec({ product: { gtin: bad } })));
    assert.equal(r.message, `GTIN ${bad} ends in ${bad[13]}, but the check digit should be ${gtin[13]} (${gtin}).`);
  });

  it('a product prescribed by GTIN must be registered: UNKNOWN_PRODUCT', async () => {
    const unregistered = newGtin();
    const r = await refusedWithNothingStored('UNKNOWN_PRODUCT', () => issuePrescription(dr, spec({ product: { gtin: unregistered } })));
    assert.match(r.message, new RegExp(`^No product with GTIN ${unregistered} is registered`));
  });

  it('the controlled class is the product’s: a class II product prescribed as uncontrolled is refused with PRESCRIPTION_CLASS_MISMATCH', async () => {
    const cii = newGtin();
    const morphine = { activeIngredient: 'Morphine sulfate', strength: '10 mg', form: 'Prolonged-release tablet' };
    await registerProduct(maker, productSpec(cii, { ...morphine, name: 'Morphine 10 mg PR', controlledClass: 'CII' }));
    const r = await refusedWithNothingStored('PRESCRIPTION_CLASS_MISMATCH', () => issuePrescription(dr, spec({ product: { gtin: cii }, refills: 0 })));
    assert.equal(r.message, `The prescription says controlled class none, but product ${cii} is registered as class II; give the product’s class.`);
    // by description too (compared trimmed and case-insensitively), so refills cannot slip past class II
    const described = { activeIngredient: ' morphine  SULFATE', strength: '10 MG', form: 'prolonged-release tablet ' };
    await refusedWithNothingStored('PRESCRIPTION_CLASS_MISMATCH', () => issuePrescription(dr, spec({ product: described, refills: 3 })));
    await issuePrescription(dr, spec({ product: { gtin: cii }, controlledClass: 'II', refills: 0 }));
    await issuePrescription(dr, spec({ product: described, controlledClass: 'II', refills: 0 }));
  });

  it('a suspended prescriber cannot issue: ACTOR_SUSPENDED, at sign-in and in the pipeline', async () => {
    const suspended = await net.join('prescriber', 'rx-dr-suspended');
    await issuePrescription(suspended, spec());
    await suspendParticipant(net.regulator, suspended.participantId, 'licence under review by the medical board');
    await refusedWithNothingStored('ACTOR_SUSPENDED', () => issuePrescription(suspended, spec()));
    // a signed event that reaches the pipeline some other way is refused there too
    const id = uuidv7();
    const data: PrescriptionIssuedData = { v: 1, id, ...spec() };
    const signed = suspended.sign({ type: PrescriptionEventTypes.issued, assets: [{ id: prescriptionAssetId(id), prev: null }], data });
    const r = await refusedWithNothingStored('ACTOR_SUSPENDED', () => server.api.get(EventPipeline).submitOne(signed, { callerId: suspended.participantId }));
    assert.match(r.message, /is suspended and can do nothing until reinstated/);
    assert.equal((await rows(id)).length, 0);
    await reinstateParticipant(net.regulator, suspended.participantId, 'cleared');
    await issuePrescription(suspended, spec());
  });

  it('a prescriber whose licence lapsed cannot issue: LICENCE_EXPIRED until a regulator renews it', async () => {
    const lapsed = await net.join('prescriber', 'rx-dr-lapsed');
    await server.runtime.dataSource.query('UPDATE participants SET licence_expires_on = $2 WHERE id = $1', [lapsed.participantId, day(-1)]);
    const r = await refusedWithNothingStored('LICENCE_EXPIRED', () => issuePrescription(lapsed, spec()));
    assert.match(r.message, /^The licence of rx-dr-lapsed expired on .*; a regulator must renew it first\.$/);
    await renewLicence(net.regulator, lapsed.participantId, { number: 'MD-2031', expiresOn: day(365) });
    await issuePrescription(lapsed, spec());
  });

  it('only a prescriber issues: a pharmacy is refused with FORBIDDEN_ROLE, through the mutation and through submitEvent', async () => {
    const r = await refusedWithNothingStored('FORBIDDEN_ROLE', () => issuePrescription(pharmacy, spec()));
    assert.match(r.message, /^This operation is for prescriber; you are signed in as a pharmacy\.$/);
    const id = uuidv7();
    const signed = pharmacy.sign({ type: PrescriptionEventTypes.issued, assets: [{ id: prescriptionAssetId(id), prev: null }], data: { v: 1, id, ...spec() } });
    const viaPipeline = await refusedWithNothingStored('FORBIDDEN_ROLE', () => pharmacy.submit(signed));
    assert.equal(viaPipeline.message, 'A pharmacy may not sign prescription.issued; allowed: prescriber.');
    await refusedWithNothingStored('FORBIDDEN_ROLE', () => net.regulator.submit(net.regulator.sign({ type: PrescriptionEventTypes.issued, assets: [{ id: prescriptionAssetId(id), prev: null }], data: { v: 1, id, ...spec() } })));
  });

  it('cancel: the prescriber cancels its active prescription; the query reports it cancelled', async () => {
    const { id } = await issuePrescription(dr, spec());
    const receipt = await cancelPrescription(dr, id, 'dose changed after review');
    assert.deepEqual(receipt.result, { prescription: prescriptionAssetId(id), state: 'cancelled' });
    const p = await prescription(dr, id);
    assert.equal(p?.state, 'cancelled');
    assert.equal(p?.updatedSeq, receipt.seq);
  });

  it('cancel by another prescriber: UNKNOWN_PRESCRIPTION, exactly as for an id that does not exist, and nothing changes', async () => {
    const { id } = await issuePrescription(dr, spec());
    const asset = prescriptionAssetId(id);
    // it cannot see the head, so it cites none: refused as if there were no such prescription, not STALE_PREV
    const blind = await refusedWithNothingStored('UNKNOWN_PRESCRIPTION', () => cancelPrescription(otherDr, id, 'not mine'));
    assert.equal(blind.message, `No prescription ${asset} exists.`);
    // knowing the head (from somewhere) does not help: the rule answers the same
    const informed = await refusedWithNothingStored('UNKNOWN_PRESCRIPTION', () => cancelPrescription(knowingHeads(otherDr, net.regulator), id, 'not mine'));
    assert.deepEqual(informed, blind);
    // the same answer as for a prescription nobody issued
    const ghost = uuidv7();
    const unknown = await refusedWithNothingStored('UNKNOWN_PRESCRIPTION', () => cancelPrescription(otherDr, ghost, 'not mine'));
    assert.deepEqual(unknown, { ...blind, message: `No prescription ${prescriptionAssetId(ghost)} exists.`, details: { prescription: prescriptionAssetId(ghost) } });
    assert.equal((await prescription(dr, id))?.state, 'active');
    // a regulator does not cancel prescriptions either
    await refusedWithNothingStored('FORBIDDEN_ROLE', () => cancelPrescription(net.regulator, id, 'x'));
  });

  it('cancel twice: PRESCRIPTION_CANCELLED, and nothing is stored', async () => {
    const { id } = await issuePrescription(dr, spec());
    await cancelPrescription(dr, id, 'patient moved away');
    const r = await refusedWithNothingStored('PRESCRIPTION_CANCELLED', () => cancelPrescription(dr, id, 'again'));
    assert.equal(r.message, `Prescription ${prescriptionAssetId(id)} is already cancelled.`);
  });

  it('an expired prescription dispenses nothing: the query reports it expired, and it cannot be cancelled (PRESCRIPTION_EXPIRED)', async () => {
    const { id } = await issuePrescription(dr, spec({ validFrom: day(0), validUntil: day(1) }));
    // the calendar moves on past validUntil
    await server.runtime.dataSource.query('UPDATE prescriptions SET valid_from = $2, valid_until = $3 WHERE id = $1', [id, day(-30), day(-1)]);
    const p = await prescription(dr, id);
    assert.equal(p?.state, 'expired');
    const r = await refusedWithNothingStored('PRESCRIPTION_EXPIRED', () => cancelPrescription(dr, id, 'tidy up'));
    assert.match(r.message, /expired after .*; it can no longer be dispensed, so there is nothing to cancel\.$/);
  });

  it('an exhausted prescription dispenses nothing: the query reports it exhausted, and it cannot be cancelled (PRESCRIPTION_EXHAUSTED)', async () => {
    const { id } = await issuePrescription(dr, spec({ quantity: 1, refills: 0 }));
    // every pack dispensed (the dispense event comes with issue 9; its effect is this)
    await server.runtime.dataSource.query("UPDATE prescriptions SET remaining = 0, state = 'exhausted' WHERE id = $1", [id]);
    const p = await prescription(dr, id);
    assert.deepEqual([p?.state, p?.remaining], ['exhausted', 0]);
    await refusedWithNothingStored('PRESCRIPTION_EXHAUSTED', () => cancelPrescription(dr, id, 'tidy up'));
    // No event exhausted it: put the row back, or the audit at the end (which replays prescriptions) names it.
    await server.runtime.dataSource.query("UPDATE prescriptions SET remaining = 1, state = 'active' WHERE id = $1", [id]);
  });

  it('a cancelled prescription stays cancelled after its window: cancelled is reported, not expired', async () => {
    const { id } = await issuePrescription(dr, spec());
    await cancelPrescription(dr, id, 'wrong patient');
    await server.runtime.dataSource.query('UPDATE prescriptions SET valid_from = $2, valid_until = $3 WHERE id = $1', [id, day(-30), day(-1)]);
    assert.equal((await prescription(dr, id))?.state, 'cancelled');
  });

  it('audit: the ledger replays clean after every prescription and refusal', async () => {
    await sealEverything(server);
    const report = await withDatabaseSnapshot(server.runtime.dataSource, (db) => auditDatabase(db));
    assert.equal(report.ok, true, report.ok ? '' : `${report.failure.code}: ${report.failure.where} — ${report.failure.why}`);
  });
});
