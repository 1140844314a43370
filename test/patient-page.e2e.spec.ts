// The patient's QR page and its JSON (docs/patient-page.md), one scenario per verdict reason, each read
// the way a patient reads it (the HTML page's words) and the way an app reads it (JSON), through real
// HTTP against the real server. States come from real events wherever one sets them (ship/receive,
// dispense, disposal reports, cold-chain readings, recalls); the calendar (expiry) and the clone alert
// (another helper's rules) are set in the database.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { parseBatchAssetId } from '@pharmatrace/custody/custody-events';
import { dispense, initiateRecall, issuePrescription, patientPseudonym, PharmaTraceClient, receive, recordReadings, registerBatch, reportDisposal, ship } from '@pharmatrace/sdk';
import type { PackReport, VerdictReasonCode } from '@pharmatrace/verification';
import { PATIENT_WORDS } from '../apps/api/src/digital-link/page/patient-words';
import { startTestServer, TestServer, waitFor } from './support/test-server';
import { createTestNetwork, TestNetwork } from './support/test-network';
import { productAndBatch } from './support/custody-fixture';
import { acceptedAt, coldProduct, deliveredPallet, readingsAfter, taken } from './support/cold-chain-fixture';
import { deliveredPacks, headline, joinWithTown, openJson, openPage, Pack, packLink, readable } from './support/patient-page-fixture';

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const codes = (r: PackReport): string[] => r.verdict.reasons.map((x) => x.code);

describe('patient page: one verdict reason at a time, as a patient and an app read it', () => {
  let server: TestServer;
  let net: TestNetwork;
  let maker: PharmaTraceClient;
  let wholesaler: PharmaTraceClient;
  let pharmacy: PharmaTraceClient;
  let dr: PharmaTraceClient;
  let batch: string;
  let held: Pack[];

  /** Opens `url` as a browser and as an app; asserts both say the same reason(s) and returns both. */
  async function both(url: string, expected: VerdictReasonCode[]): Promise<{ json: PackReport; page: string; text: string }> {
    const [app, browser] = [await openJson(url), await openPage(url)];
    assert.equal(app.status, 200);
    assert.equal(browser.status, 200);
    assert.deepEqual(codes(app.body), expected);
    assert.equal(app.body.verdict.safeToUse, expected.length === 0);
    const text = readable(browser.body);
    for (const code of expected) {
      assert.ok(text.includes(PATIENT_WORDS[code].what), `the page says what ${code} means: ${PATIENT_WORDS[code].what}`);
      assert.ok(text.includes(PATIENT_WORDS[code].todo), `the page says what to do for ${code}`);
      const reason = app.body.verdict.reasons.find((r) => r.code === code)!;
      assert.ok(text.includes(reason.message), 'the verifier’s sentence is on the page too');
    }
    // The verdict comes first: the headline precedes every other section.
    assert.ok(text.indexOf(headline(browser.body)) < text.indexOf('The medicine'));
    return { json: app.body, page: browser.body, text };
  }

  before(async () => {
    server = await startTestServer(undefined, { SEAL_DEBOUNCE_MS: '50' });
    net = await createTestNetwork(server);
    maker = await joinWithTown(server, net.regulator, 'manufacturer', 'pp-maker', 'Mannheim');
    wholesaler = await joinWithTown(server, net.regulator, 'wholesaler', 'pp-wholesaler', 'Leeds');
    pharmacy = await joinWithTown(server, net.regulator, 'pharmacy', 'pp-pharmacy', 'York');
    dr = await joinWithTown(server, net.regulator, 'prescriber', 'pp-dr', 'York');
    batch = (await productAndBatch(maker, 100, { manufacturedOn: '2026-01-10', expiresOn: '2028-01-31' })).batch;
    const viaWholesaler = await deliveredPacks(server, maker, batch, 12, wholesaler);
    // The wholesaler passes them on to the pharmacy: a journey of three holders.
    const { shipment } = await ship(wholesaler, pharmacy.participantId, viaWholesaler.map((p) => p.id));
    await receive(pharmacy, shipment);
    held = viaWholesaler;
  });
  after(async () => server?.close());

  it('genuine and safe: the verdict first, then product, maker, lot, expiry and the journey with towns', async () => {
    const { json, page, text } = await both(packLink(server, held[0], maker), []);
    assert.equal(headline(page), 'This medicine is genuine and safe to use');
    assert.deepEqual([json.verdict.genuine, json.verdict.safeToUse, json.labelSignature], [true, true, 'valid']);
    assert.deepEqual(json.batch, { lot: held[0].lot, expiresOn: held[0].expiresOn });
    assert.deepEqual([json.manufacturer?.name, json.manufacturer?.town], ['pp-maker Ltd', 'Mannheim']);
    assert.deepEqual(json.journey.map((s) => [s.kind, s.participantName, s.role, s.town]), [
      ['made', 'pp-maker Ltd', 'manufacturer', 'Mannheim'],
      ['held', 'pp-wholesaler Ltd', 'wholesaler', 'Leeds'],
      ['held', 'a pharmacy', 'pharmacy', 'York'],
    ]);
    for (const words of ['The medicine', 'Insulin glargine 100 U/mL pen', 'pp-maker Ltd, Mannheim', held[0].lot, held[0].expiresOn, 'Held by pp-wholesaler Ltd, Leeds', 'Held by a pharmacy in York', 'Its journey', 'Ledger proof', 'signed by its maker']) {
      assert.ok(text.includes(words), `the page shows ${words}`);
    }
    assert.ok(!text.includes('pp-pharmacy Ltd'), 'a pharmacy is shown by role and town, never by name');
    const order = ['genuine and safe', 'The medicine', 'Its journey', 'Temperature', 'Label signature', 'Ledger proof'].map((w) => text.indexOf(w));
    assert.deepEqual([...order].sort((a, b) => a - b), order, 'sections in the order the patient needs them');
    // Never a shipment id, a price or a patient.
    assert.ok(!JSON.stringify(json).includes('shipment:'));
    assert.ok(!page.includes('shipment:'));
  });

  it('UNKNOWN_SERIAL (A3): a serial never commissioned; nothing about any pack is told', async () => {
    const fake = { ...held[0], serial: 'NEVERMADE1' };
    const { json, page } = await both(packLink(server, fake), ['UNKNOWN_SERIAL']);
    assert.equal(headline(page), 'Do not use this medicine: it may not be genuine');
    assert.deepEqual([json.verdict.genuine, json.verdict.reasons[0].emvs, json.verdict.reasons[0].nmvs], [false, 'A3', 'NMVS_NC_PC_02']);
    assert.deepEqual([json.journey, json.ledger, json.batch], [[], null, null]);
  });

  it('BATCH_MISMATCH (A68): the pack scanned with another registered lot of its product', async () => {
    const { gtin, lot } = parseBatchAssetId(batch)!;
    await registerBatch(maker, { gtin, lot: `${lot}X`, quantity: 5, manufacturedOn: '2026-01-10', expiresOn: '2028-01-31' });
    const { json, text } = await both(packLink(server, held[1], undefined, { lot: `${lot}X` }), ['BATCH_MISMATCH']);
    assert.deepEqual([json.verdict.genuine, json.batch, json.journey], [false, null, []]);
    assert.ok(text.includes('Not shown'), 'the genuine lot and expiry are not told to a label that does not carry them');
  });

  it('EXPIRY_MISMATCH (A52): the pack scanned with another expiry', async () => {
    const { json } = await both(packLink(server, held[2], undefined, { expiresOn: '2029-03-31' }), ['EXPIRY_MISMATCH']);
    assert.equal(json.verdict.reasons[0].emvs, 'A52');
  });

  it('RECALLED: the regulator recalls the batch; the page gives the recall notice and its instructions', async () => {
    const own = (await productAndBatch(maker, 5)).batch;
    const [p] = await deliveredPacks(server, maker, own, 1, pharmacy);
    await initiateRecall(net.regulator, { class: 'I', reason: 'particles found in pens', instructions: 'Stop using the pen and return it to your pharmacy <today>.', notifyPatients: true, batches: [own] });
    const { json, page, text } = await both(packLink(server, p), ['RECALLED']);
    assert.equal(json.recall?.class, 'I');
    assert.ok(text.includes('Recall notice') && text.includes('Stop using the pen and return it to your pharmacy <today>.'));
    assert.ok(page.includes('&lt;today&gt;') && !page.includes('<today>'), 'recall text is escaped');
  });

  it('EXPIRED: the batch’s expiry date has passed', async () => {
    const own = (await productAndBatch(maker, 3, { manufacturedOn: '2026-01-01', expiresOn: '2030-01-01' })).batch;
    const [p] = await deliveredPacks(server, maker, own, 1, pharmacy);
    // An expired batch cannot be registered, so the calendar moves on in the database.
    await server.runtime.dataSource.query(`UPDATE batches SET expires_on = '2024-01-01' WHERE id = $1`, [own]);
    const { json } = await both(packLink(server, { ...p, expiresOn: '2024-01-01' }), ['EXPIRED']);
    assert.equal(json.verdict.status, 'expired');
  });

  it('ALREADY_SUPPLIED (A24): dispensed against a prescription; the journey ends "supplied to a patient by" the pharmacy, no patient named', async () => {
    const patient = patientPseudonym(randomBytes(32), 'AB-123456-C');
    const { gtin } = parseBatchAssetId(batch)!;
    const { id } = await issuePrescription(dr, { patient, product: { gtin }, quantity: 1, refills: 0, validFrom: day(0), validUntil: day(30), controlledClass: 'none' });
    const p = held[3];
    await dispense(pharmacy, { prescription: id, patient, scans: [`01${p.gtin}21${p.serial}`] });
    const { json, page, text } = await both(packLink(server, p), ['ALREADY_SUPPLIED']);
    assert.equal(headline(page), 'This medicine is genuine and was already given to a patient');
    assert.equal(json.journey[json.journey.length - 1].description, 'Supplied to a patient by a pharmacy in York');
    assert.ok(text.includes('Supplied to a patient by a pharmacy in York'));
    assert.ok(!text.includes('pp-pharmacy Ltd') && !JSON.stringify(json.journey).includes('pp-pharmacy Ltd'), 'the pharmacy is not named');
    const all = JSON.stringify(json) + page;
    assert.ok(!all.includes(patient) && !all.includes(id), 'neither the patient pseudonym nor the prescription is shown');
  });

  it('DESTROYED and STOLEN (A24): packs the pharmacy reported', async () => {
    await reportDisposal(pharmacy, 'destroyed', [held[4].id], 'dropped and crushed');
    await reportDisposal(pharmacy, 'stolen', [held[5].id], 'counter theft');
    const destroyed = await both(packLink(server, held[4]), ['DESTROYED']);
    assert.deepEqual([destroyed.json.verdict.genuine, destroyed.json.verdict.reasons[0].emvs], [false, 'A24']);
    const stolen = await both(packLink(server, held[5]), ['STOLEN']);
    assert.equal(stolen.json.verdict.status, 'stolen');
  });

  it('QUARANTINED: a pack on a pallet whose readings broke its policy; the page charts them against the range', async () => {
    const { batch: cold } = await coldProduct(maker, { excursionPolicy: { maxMinutesOutOfRange: 0, maxMktC: 8 } });
    const { pallet, packs, received } = await deliveredPallet(maker, pharmacy, cold);
    await recordReadings(pharmacy, pallet, await taken(readingsAfter(await acceptedAt(server, received.seq), [5, 15, 15, 5])));
    const { gtin, lot } = parseBatchAssetId(cold)!;
    const [{ expires_on }]: Array<{ expires_on: string }> = await server.runtime.dataSource.query(`SELECT to_char(expires_on, 'YYYY-MM-DD') AS expires_on FROM batches WHERE id = $1`, [cold]);
    const p: Pack = { gtin, lot, serial: packs[0].slice(`sgtin:${gtin}.`.length), expiresOn: expires_on, id: packs[0] };
    await waitFor('the quarantine', async () => (await openJson(packLink(server, p))).body.verdict.status === 'quarantined');
    const { json, page, text } = await both(packLink(server, p), ['QUARANTINED']);
    assert.deepEqual([json.temperature?.verdict, json.temperature?.storage, json.temperature?.readingCount], ['broken', { minC: 2, maxC: 8 }, 4]);
    assert.ok(text.includes('It was kept outside its storage temperature for too long.'));
    assert.match(page, /<svg viewBox="0 0 320 140"[^>]*role="img"/);
    assert.equal((page.match(/<circle /g) ?? []).length, 2, 'the two readings out of range are marked');
  });

  it('SUSPECTED_CLONE: a clone alert on the serial that the manufacturer or a regulator is investigating', async () => {
    const p = held[6];
    await server.runtime.dataSource.query(
      `INSERT INTO verification_alerts (id, kind, clone_suspected, gtin, serial, lot, manufacturer_id, status, evidence) VALUES ($1, 'REGIONS_WITHIN_WINDOW', true, $2, $3, $4, $5, 'under_investigation', '{}')`,
      [`alert:pp-${Date.now()}`, p.gtin, p.serial, p.lot, maker.participantId],
    );
    const { json, page } = await both(packLink(server, p), ['SUSPECTED_CLONE']);
    assert.equal(json.verdict.genuine, false);
    assert.equal(headline(page), 'Do not use this medicine: it may not be genuine');
  });

  it('BAD_SIGNATURE: the manufacturer’s label signature with one character changed', async () => {
    const signed = packLink(server, held[7], maker);
    const sig = /[?&]sig=([^&]+)/.exec(signed)![1];
    const flipped = `${sig.slice(0, 10)}${sig[10] === 'A' ? 'B' : 'A'}${sig.slice(11)}`;
    const { json, text } = await both(signed.replace(sig, flipped), ['BAD_SIGNATURE']);
    assert.deepEqual([json.labelSignature, json.verdict.genuine, json.journey, json.ledger], ['invalid', false, [], null]);
    assert.ok(text.includes('carries a signature that is not its maker'));
  });
});
