// Who sees a prescription (docs/access-model.md): its prescriber and regulators, and a pharmacy that
// presents the id with the matching patient pseudonym. Anyone else — another pharmacy without the
// pseudonym, a wholesaler, another prescriber — gets exactly the answer an unknown id gets, on every path.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { prescriptionAssetId } from '@pharmatrace/prescriptions/prescription-events';
import { issuePrescription, myPrescriptions, patientPseudonym, PharmaTraceClient, prescription, PRESCRIPTION_FIELDS, Receipt, uuidv7 } from '@pharmatrace/sdk';
import { startTestServer, TestServer } from './support/test-server';
import { createTestNetwork, refusal, TestNetwork } from './support/test-network';

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe('prescriptions: who sees them', () => {
  let server: TestServer;
  let net: TestNetwork;
  let dr: PharmaTraceClient;
  let otherDr: PharmaTraceClient;
  let pharmacy: PharmaTraceClient;
  let wholesaler: PharmaTraceClient;
  let maker: PharmaTraceClient;
  let id: string;
  let issued: Receipt;
  const secret = randomBytes(32);
  const patient = patientPseudonym(secret, 'ZZ 998877 A');
  const otherPatient = patientPseudonym(secret, 'ZZ 998877 B');

  before(async () => {
    server = await startTestServer();
    net = await createTestNetwork(server);
    [dr, otherDr, pharmacy, wholesaler, maker] = await Promise.all([
      net.join('prescriber', 'rxa-dr'), net.join('prescriber', 'rxa-other-dr'), net.join('pharmacy', 'rxa-pharmacy'),
      net.join('wholesaler', 'rxa-wholesaler'), net.join('manufacturer', 'rxa-maker'),
    ]);
    ({ id, receipt: issued } = await issuePrescription(dr, {
      patient,
      product: { activeIngredient: 'amoxicillin', strength: '500 mg', form: 'capsule' },
      quantity: 1,
      refills: 0,
      validFrom: day(0),
      validUntil: day(10),
      controlledClass: 'none',
    }));
  });
  after(async () => server?.close());

  /** The raw GraphQL answer, so that "hidden" can be compared with "does not exist" byte for byte. */
  const ask = (client: PharmaTraceClient, prescriptionId: string, p?: string) =>
    client.query<unknown>(`query($id: String!, $p: String) { prescription(id: $id, patient: $p) { ${PRESCRIPTION_FIELDS} } }`, { id: prescriptionId, p: p ?? null });
  const NONE = { prescription: null };

  it('its prescriber sees it, with or without the patient pseudonym', async () => {
    assert.equal((await prescription(dr, id))?.id, id);
    assert.equal((await prescription(dr, id, patient))?.patient, patient);
  });

  it('a regulator sees it, with or without the patient pseudonym', async () => {
    assert.equal((await prescription(net.regulator, id))?.prescriberId, dr.participantId);
    assert.equal((await prescription(net.regulator, id, patient))?.id, id);
  });

  it('a pharmacy presenting the id with the matching patient pseudonym sees it', async () => {
    const p = await prescription(pharmacy, id, patient);
    assert.deepEqual([p?.id, p?.state, p?.remaining, p?.product.activeIngredient], [id, 'active', 1, 'amoxicillin']);
  });

  it('a pharmacy with a wrong pseudonym or none gets null, exactly like an unknown id', async () => {
    const unknownId = uuidv7();
    assert.deepEqual(await ask(pharmacy, unknownId, patient), NONE);
    assert.deepEqual(await ask(pharmacy, id, otherPatient), NONE);
    assert.deepEqual(await ask(pharmacy, id), NONE);
    assert.deepEqual(await ask(pharmacy, id, otherPatient), await ask(pharmacy, unknownId, otherPatient));
  });

  it('a wholesaler, a manufacturer and another prescriber get null, even with the right pseudonym', async () => {
    for (const outsider of [wholesaler, maker, otherDr]) {
      assert.deepEqual(await ask(outsider, id, patient), NONE, outsider.participantId);
      assert.deepEqual(await ask(outsider, id), NONE, outsider.participantId);
    }
  });

  it('a pseudonym that is given must match, for the prescriber and regulators too', async () => {
    assert.deepEqual(await ask(dr, id, otherPatient), NONE);
    assert.deepEqual(await ask(net.regulator, id, otherPatient), NONE);
  });

  it('a malformed pseudonym is BAD_REQUEST for everyone, whether or not the prescription exists', async () => {
    const known = await refusal(() => ask(pharmacy, id, 'Maria Gonzalez'));
    const unknown = await refusal(() => ask(pharmacy, uuidv7(), 'Maria Gonzalez'));
    assert.equal(known.code, 'BAD_REQUEST');
    assert.deepEqual(known, unknown);
    assert.equal(known.message, 'patient must be the patient pseudonym: 64 lowercase hex characters (never a name or a national id).');
  });

  it('the ledger does not leak it either: its events, head and history are hidden from a pharmacy and a wholesaler', async () => {
    const asset = prescriptionAssetId(id);
    for (const outsider of [pharmacy, wholesaler, otherDr]) {
      const event = await outsider.query<{ ledgerEvent: unknown }>('query($h: String!) { ledgerEvent(hash: $h) { seq } }', { h: issued.hash });
      assert.equal(event.ledgerEvent, null);
      assert.equal(await outsider.assetHead(asset), null);
      assert.equal((await refusal(() => outsider.query('query($id: String!) { itemHistory(id: $id) { seq } }', { id: asset }))).code, 'UNKNOWN_ITEM');
    }
    assert.equal(await dr.assetHead(asset), issued.hash);
    assert.equal(await net.regulator.assetHead(asset), issued.hash);
    const history = await dr.query<{ itemHistory: Array<{ seq: number; type: string }> }>('query($id: String!) { itemHistory(id: $id) { seq type } }', { id: asset });
    assert.deepEqual(history.itemHistory, [{ seq: issued.seq, type: 'prescription.issued' }]);
  });

  it('myPrescriptions: a prescriber’s own, in issue order, paged with first (≤ 100) and after', async () => {
    const more: string[] = [];
    for (let i = 0; i < 3; i++) {
      more.push((await issuePrescription(dr, { patient: otherPatient, product: { activeIngredient: 'ibuprofen', strength: '400 mg', form: 'tablet' }, quantity: 1, refills: 0, validFrom: day(0), validUntil: day(30), controlledClass: 'none' })).id);
    }
    const firstPage = await myPrescriptions(dr, 2);
    assert.deepEqual(firstPage.map((p) => p.id), [id, more[0]]);
    const secondPage = await myPrescriptions(dr, 2, firstPage[1].id);
    assert.deepEqual(secondPage.map((p) => p.id), [more[1], more[2]]);
    assert.deepEqual(await myPrescriptions(dr, 2, more[2]), []);
    assert.deepEqual(await myPrescriptions(otherDr, 100), []);
    assert.equal((await refusal(() => myPrescriptions(dr, 101))).code, 'BAD_REQUEST');
    assert.equal((await refusal(() => myPrescriptions(dr, 0))).code, 'BAD_REQUEST');
    // another prescriber's id as the cursor answers as an id it never issued
    const foreign = await refusal(() => myPrescriptions(otherDr, 10, id));
    const made = await refusal(() => myPrescriptions(otherDr, 10, 'never-issued-id'));
    assert.deepEqual([foreign.code, made.code], ['BAD_REQUEST', 'BAD_REQUEST']);
    assert.equal(foreign.message.replace(id, '<id>'), made.message.replace('never-issued-id', '<id>'));
    // not a surface for anyone else
    for (const other of [pharmacy, net.regulator, wholesaler]) assert.equal((await refusal(() => myPrescriptions(other, 10))).code, 'FORBIDDEN_ROLE');
  });
});
