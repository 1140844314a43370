// The demo network `npm start` seeds on an empty database: every journey it shows really happened
// through the API, is idempotent on restart, and audits clean. The journeys are asserted one by one
// against the real server (API and worker), in the order they build on each other.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { auditDatabase, withDatabaseSnapshot } from '@pharmatrace/audit';
import { EventPipeline } from '@pharmatrace/ledger';
import {
  DemoCustody,
  DemoDispensing,
  DemoRecall,
  DemoWebhookReceiver,
  DEMO_RECALL_LOT,
  DEMO_WEBHOOK_PARTICIPANT,
  registerDemoWebhook,
  seedDemoRecall,
  startDemoWebhookReceiver,
  demoGenesis,
  DEMO_PATIENT_IDS,
  DEMO_PSEUDONYM_SECRET,
  demoLicence,
  demoLicenceRenewal,
  DEMO_PARTICIPANTS,
  DEMO_REGULATOR,
  DemoParticipant,
  keyFor,
  seedDemoCustody,
  seedDemoDispensing,
  seedDemoParticipants,
  utcToday,
  demoPackLinks,
  demoPacksToShow,
  DemoPackState,
  seedDemoVerification,
  terminalQr,
} from '@pharmatrace/demo-network';
import { withGlnCheckDigit } from '@pharmatrace/gs1';
import { item, itemHistory, myRecallNotifications, resolvePackLink, verificationAlerts, vrsRequests, patientPseudonym, PharmaTraceClient, prescription, recallDeliveries, recallProgress, verifyPack } from '@pharmatrace/sdk';
import { sealEverything, startTestServer, TestServer, waitFor } from './support/test-server';

interface ShipmentView {
  id: string;
  fromId: string;
  toId: string;
  state: string;
  items: string[];
}

interface LogEntry {
  seq: number;
  type: string;
  event: { actor: string; data: Record<string, unknown> };
}

interface WindowedHistory {
  verdict: string;
  readingCount: number;
  excludedReadingCount: number;
  evaluationPending: boolean;
  items: Array<{ id: string; state: string }>;
  evaluations: Array<{ subject: string; verdict: string; readings: number; breaches: string[] }>;
}

describe('demo network', () => {
  let server: TestServer;
  let keysDir: string;
  let seededOn: string;
  let custody: DemoCustody;
  let rx: DemoDispensing;
  let demoRecall: DemoRecall;
  let receiver: DemoWebhookReceiver;
  let regulator: PharmaTraceClient;
  let wholesaler: PharmaTraceClient;
  let central: PharmaTraceClient;
  let harbour: PharmaTraceClient;

  const participant = (id: string): DemoParticipant => {
    const p = DEMO_PARTICIPANTS.find((x) => x.id === id);
    assert.ok(p, `demo participant ${id}`);
    return p;
  };
  const clientOf = (id: string) => new PharmaTraceClient(server.url, keyFor(keysDir, participant(id)));

  const shipment = async (client: PharmaTraceClient, id: string): Promise<ShipmentView> => {
    const r = await client.query<{ shipment: ShipmentView | null }>('query($id: String!) { shipment(id: $id) { id fromId toId state items } }', { id });
    assert.ok(r.shipment, `shipment ${id} visible`);
    return r.shipment;
  };
  /** The regulator's view of the event log, for one event type. */
  const eventsOfType = async (type: string): Promise<LogEntry[]> =>
    (await regulator.query<{ eventLog: LogEntry[] }>('query($t: String) { eventLog(first: 1000, type: $t) { seq type event } }', { t: type })).eventLog;
  /** A subject's temperature history once the worker has judged its latest readings. */
  const evaluated = (subject: string): Promise<WindowedHistory> =>
    waitFor(
      `the evaluation of ${subject}`,
      async () => {
        const r = await regulator.query<{ temperatureHistory: WindowedHistory }>(
          'query($s: String!) { temperatureHistory(subject: $s, first: 0) { verdict readingCount excludedReadingCount evaluationPending items { id state } evaluations { subject verdict readings breaches } } }',
          { s: subject },
        );
        const h = r.temperatureHistory;
        return !h.evaluationPending && h.evaluations.length > 0 ? h : null;
      },
      30_000,
    );

  before(async () => {
    // The demo's webhook receiver listens on 127.0.0.1: allowed by default on the embedded database only.
    server = await startTestServer(undefined, { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' });
    keysDir = join(server.environment.env.PHARMATRACE_DATA_DIR, 'demo-keys');
  });
  after(async () => {
    await receiver?.close();
    await server?.close();
  });

  it('seeds participants and a supply chain down to two pharmacies, within seconds', async () => {
    seededOn = utcToday();
    await server.api.get(EventPipeline).submitOne(demoGenesis(keysDir));
    assert.equal((await seedDemoParticipants(server.url, keysDir)).length, DEMO_PARTICIPANTS.length);
    const started = Date.now();
    const seeded = await seedDemoCustody(server.url, keysDir);
    assert.ok(seeded);
    custody = seeded;
    rx = await seedDemoDispensing(server.url, keysDir, custody);
    const took = Date.now() - started;
    assert.ok(took < 30_000, `the custody journeys took ${took} ms; npm start runs them on every fresh start`);

    regulator = new PharmaTraceClient(server.url, keyFor(keysDir, DEMO_REGULATOR));
    [wholesaler, central, harbour] = ['demo-wholesaler', 'demo-pharmacy-central', 'demo-pharmacy-harbour'].map(clientOf);
    const pack = await item(central, custody.pharmacyPack);
    assert.equal(pack?.custodianId, 'demo-pharmacy-central');
    assert.equal(pack?.state, 'active');
  });

  it('dates the batch from today: made some months ago, expiring in about two years', async () => {
    const batches: Array<{ manufactured_on: string; expires_on: string }> = await server.runtime.dataSource.query(
      `SELECT to_char(manufactured_on, 'YYYY-MM-DD') AS manufactured_on, to_char(expires_on, 'YYYY-MM-DD') AS expires_on FROM batches WHERE id = $1`,
      [custody.batch],
    );
    const [{ manufactured_on: made, expires_on: expires }] = batches;
    const daysFromToday = (day: string) => (Date.parse(day) - Date.parse(seededOn)) / 86_400_000;
    assert.ok(daysFromToday(made) <= -28 && daysFromToday(made) >= -366, `manufactured on ${made}, seeded on ${seededOn}`);
    assert.ok(daysFromToday(expires) >= 600 && daysFromToday(expires) <= 800, `expires on ${expires}, seeded on ${seededOn}`);
  });

  it('renews Harbour Road’s licence, about to lapse, as the regulator', async () => {
    const renewal = demoLicenceRenewal(seededOn);
    const renewed = await regulator.participant(renewal.participant);
    assert.deepEqual([renewed?.licenceNumber, renewed?.licenceExpiresOn], [renewal.licence.number, renewal.licence.expiresOn]);
    assert.ok(renewal.previous.expiresOn >= seededOn && renewal.previous.expiresOn < renewal.licence.expiresOn, 'renewed before it lapsed, for longer');

    const registered = (await eventsOfType('participant.registered')).find((e) => (e.event.data.participant as { id: string }).id === renewal.participant);
    assert.deepEqual((registered?.event.data.participant as { licence: unknown }).licence, renewal.previous, 'registered with the licence about to lapse');
    const renewals = await eventsOfType('participant.licence_renewed');
    assert.equal(renewals.length, 1);
    assert.equal(renewals[0].event.actor, DEMO_REGULATOR.id);
    assert.deepEqual(renewals[0].event.data, { v: 1, participant: renewal.participant, licence: renewal.licence });

    // Nobody else's licence changed.
    const central = await regulator.participant('demo-pharmacy-central');
    const expected = demoLicence(participant('demo-pharmacy-central'), seededOn);
    assert.deepEqual([central?.licenceNumber, central?.licenceExpiresOn], [expected.number, expected.expiresOn]);
  });

  it('voids the wholesaler’s shipment to the wrong pharmacy; its goods went on to the right one', async () => {
    const voided = await shipment(wholesaler, custody.voidedShipment);
    assert.deepEqual([voided.state, voided.fromId, voided.toId], ['voided', 'demo-wholesaler', 'demo-pharmacy-central']);
    const onward = await shipment(wholesaler, custody.excursionShipment);
    assert.deepEqual([onward.state, onward.fromId, onward.toId], ['received', 'demo-wholesaler', 'demo-pharmacy-harbour']);
    assert.deepEqual(onward.items, voided.items, 'the voided goods went on in the second shipment');
    assert.equal((await item(harbour, voided.items[0]))?.custodianId, 'demo-pharmacy-harbour');

    const voids = await eventsOfType('custody.shipping_voided');
    assert.equal(voids.length, 1);
    assert.equal(voids[0].event.actor, 'demo-wholesaler');
    assert.equal(voids[0].event.data.shipment, custody.voidedShipment);

    // The case's own history: to the wholesaler, then shipped, voided, shipped again and received.
    const handovers = (await itemHistory(harbour, voided.items[0]))
      .map((e) => e.type)
      .filter((t) => ['custody.shipped', 'custody.shipping_voided', 'custody.received'].includes(t));
    assert.deepEqual(handovers, ['custody.shipped', 'custody.received', 'custody.shipped', 'custody.shipping_voided', 'custody.shipped', 'custody.received']);
  });

  it('quarantines exactly the goods of the excursion shipment; the others stay within policy', async () => {
    // The pallet's leg to the wholesaler, then each case's leg to its pharmacy (the excursion to Harbour Road).
    const [toWholesaler, ...toPharmacies] = custody.shipments;
    assert.equal(toPharmacies.length, 2);
    assert.ok(toPharmacies.includes(custody.excursionShipment));
    const firstLeg = await evaluated(toWholesaler);
    for (const subject of custody.shipments) {
      const h = subject === toWholesaler ? firstLeg : await evaluated(subject);
      // Every reading the logger took fell inside the shipment's custody window, and counted.
      assert.ok(h.readingCount > 0, `${subject} has readings`);
      assert.equal(h.excludedReadingCount, 0, `readings of ${subject} outside its custody window`);
      assert.equal(h.verdict, subject === custody.excursionShipment ? 'broken' : 'within_policy', subject);
      // A case is judged over its life: the first leg's readings (in the pallet) and its own leg's.
      const judged = subject === toWholesaler ? h.readingCount : firstLeg.readingCount + h.readingCount;
      assert.deepEqual(h.evaluations.map((e) => e.readings), h.items.map(() => judged), `${subject}: readings judged`);
    }

    const excursion = await shipment(regulator, custody.excursionShipment);
    await waitFor('the excursion to quarantine the goods', async () => (await item(harbour, excursion.items[0]))?.state === 'quarantined', 30_000);
    const quarantines = await eventsOfType('coldchain.quarantined');
    assert.equal(quarantines.length, 1, 'one quarantine, for the one excursion');
    const { items, evaluation } = quarantines[0].event.data as { items: string[]; evaluation: { subject: string; breaches: string[] } };
    assert.deepEqual([...items].sort(), [...excursion.items].sort(), 'exactly the excursion shipment’s items');
    assert.equal(evaluation.subject, custody.excursionShipment);
    assert.ok(evaluation.breaches.includes('MKT_ABOVE_LIMIT'), evaluation.breaches.join(', '));
    const quarantinedNow: Array<{ id: string }> = await server.runtime.dataSource.query(`SELECT id FROM custody_items WHERE state = 'quarantined' ORDER BY id`);
    assert.deepEqual(quarantinedNow.map((r) => r.id), [...excursion.items].sort(), 'nothing else is quarantined');

    assert.equal((await item(central, custody.pharmacyPack))?.state, 'active', 'goods kept in range stay active');
  });

  it('issues prescriptions to pseudonymous patients, dispenses, refuses a pen for another medicine, and undoes a dispense', async () => {
    const dr = clientOf('demo-prescriber');
    assert.deepEqual(
      [rx.patients.insulin, rx.patients.other],
      DEMO_PATIENT_IDS.map((id) => patientPseudonym(DEMO_PSEUDONYM_SECRET, id)),
      'the patients are pseudonyms of the prescriber’s secret',
    );
    const issued = await eventsOfType('prescription.issued');
    assert.equal(issued.length, 2);
    for (const e of issued) {
      assert.equal(e.event.actor, 'demo-prescriber');
      assert.match(e.event.data.patient as string, /^[0-9a-f]{64}$/, 'a pseudonym, never a name');
      assert.ok(!JSON.stringify(e.event.data).includes('DEMO-000'), 'no national id leaves the practice');
    }

    // Two pens supplied against the insulin prescription, one of them undone: 2 of 3 remain.
    const insulin = await prescription(dr, rx.insulinPrescription);
    assert.deepEqual([insulin?.quantity, insulin?.remaining, insulin?.state], [3, 2, 'active']);
    assert.equal((await prescription(central, rx.insulinPrescription, rx.patients.insulin))?.remaining, 2, 'the pharmacy sees it with the patient’s pseudonym');
    assert.equal((await item(central, rx.dispensedPack))?.state, 'supplied');
    const verdict = await verifyPack(central, { gtin: custody.pharmacyPack.split(':')[1].split('.')[0], serial: rx.dispensedPack.split('.').slice(1).join('.') });
    assert.deepEqual([verdict.fitToDispense, verdict.reasons.map((r) => r.code)], [false, ['ALREADY_SUPPLIED']]);
    assert.equal((await item(central, rx.undonePack))?.state, 'active', 'the undone pen is active again');
    const supplies = await eventsOfType('dispensing.supplied');
    assert.equal(supplies.length, 1, 'the refused dispense stored nothing');
    assert.deepEqual([...(supplies[0].event.data.packs as string[])].sort(), [rx.dispensedPack, rx.undonePack].sort());
    const undos = await eventsOfType('dispensing.undone');
    assert.equal(undos.length, 1);
    assert.deepEqual(undos[0].event.data, { v: 1, undoes: rx.dispenseEvent, packs: [rx.undonePack] });

    // The pen against the metformin prescription was refused and is still on the shelf; the prescription untouched.
    assert.equal(rx.refusal.code, 'PRODUCT_MISMATCH', rx.refusal.message);
    assert.equal((await item(central, rx.refusedPack))?.state, 'active');
    const other = await prescription(dr, rx.otherPrescription);
    assert.deepEqual([other?.remaining, other?.state], [2, 'active']);
  });

  it('recalls a second batch: every holder told once, Central Square’s webhook receives it signed, acknowledges, returns the case', async () => {
    receiver = await startDemoWebhookReceiver(server.url);
    await registerDemoWebhook(server.url, keysDir, receiver.url);
    demoRecall = await seedDemoRecall(server.url, keysDir);
    assert.ok(demoRecall.batch.endsWith(`/${DEMO_RECALL_LOT}`));
    assert.equal(demoRecall.acknowledged, true, 'Central Square was notified in time to acknowledge during seeding');

    // The webhook arrived once, verified against the ledger's published keys, for Central Square only.
    const received = await waitFor('the webhook delivery', async () => (receiver.received().length > 0 ? receiver.received() : null));
    assert.equal(received.length, 1);
    assert.deepEqual([received[0].payload.type, received[0].payload.data.recall, received[0].payload.data.participant], ['recall.initiated', demoRecall.recall, DEMO_WEBHOOK_PARTICIPANT]);
    assert.deepEqual(receiver.refused(), []);

    // Helix (maker and holder), Northline (handled the case, no longer holds it: not told) and Central Square.
    const deliveries = await waitFor('the delivery to show as delivered', async () => {
      const all = await recallDeliveries(regulator, demoRecall.recall);
      return all.some((d) => d.participantId === DEMO_WEBHOOK_PARTICIPANT && d.webhookState === 'delivered') ? all : null;
    });
    const told = deliveries.map((d) => d.participantId).sort();
    assert.deepEqual(told, ['demo-manufacturer', DEMO_WEBHOOK_PARTICIPANT].sort());
    const centralRow = deliveries.find((d) => d.participantId === DEMO_WEBHOOK_PARTICIPANT)!;
    assert.ok(centralRow.acknowledgedAt, 'the acknowledgement shows in the regulator’s view');
    assert.equal((await myRecallNotifications(central)).filter((n) => n.recall === demoRecall.recall).length, 1);

    // The case came back to Helix and was destroyed; the twelve packs left at Helix are recalled in its warehouse.
    const progress = await recallProgress(regulator, demoRecall.recall);
    assert.equal(progress.totals.destroyed, 12);
    assert.deepEqual([progress.totals.neverShipped, progress.totals.returned], [12, 0], 'recalled packs that never left their manufacturer: never shipped, not returned');
    assert.equal(progress.totals.inChain, 0);
    const atHelix = await item(clientOf('demo-manufacturer'), demoRecall.packsAtManufacturer[0]);
    assert.equal(atHelix?.state, 'recalled');
    const [gtin, serial] = demoRecall.packsAtManufacturer[0].slice('sgtin:'.length).split(/\.(.*)/s);
    const verdict = await verifyPack(clientOf('demo-manufacturer'), { gtin, serial });
    assert.ok(verdict.reasons.some((r) => r.code === 'RECALLED' && r.message.includes('return it to Helix Pharma')), JSON.stringify(verdict.reasons));
    // The first batch, whose pack is the QR code the demo prints, is not recalled.
    const genuine = await verifyPack(central, { gtin, serial: custody.pharmacyPack.split('.').slice(1).join('.') });
    assert.ok(!genuine.reasons.some((r) => r.code === 'RECALLED'));
  });

  it('prints signed QR links a patient can open: genuine, quarantined, recalled and dispensed, each with its verdict and a verified signature', async () => {
    const links = demoPackLinks(server.url, keysDir, demoPacksToShow(custody, rx, demoRecall));
    const expected: Record<DemoPackState, string> = { genuine: 'active', quarantined: 'quarantined', recalled: 'recalled', dispensed: 'supplied' };
    for (const pack of links) {
      const report = await waitFor(`the ${pack.state} pen's page`, async () => {
        const r = await resolvePackLink(pack.link);
        return r.verdict.status === expected[pack.state] ? r : null;
      });
      assert.equal(report.labelSignature, 'valid', `${pack.state}: the demo's label is signed by Helix`);
    }
    const qr = await terminalQr(links[0].link);
    assert.ok(qr.split('\n').length > 20, 'a QR code drawn in the terminal');
  });

  it('signs every label, answers Northline’s DSCSA verification request, and raises an alert for a falsified code', async () => {
    const seeded = await seedDemoVerification(server.url, keysDir, custody);
    assert.equal(seeded.labelsRegistered, 200 + 24, 'every pen of both batches has a registered label');
    assert.equal(seeded.vrs.answer.data.verified, true);
    assert.equal(seeded.vrs.answer.responderGLN, withGlnCheckDigit(participant('demo-manufacturer').glnBody), 'Helix answers, by its GLN');
    const helixLog = await vrsRequests(clientOf('demo-manufacturer'));
    assert.ok(helixLog.some((r) => r.requesterId === 'demo-wholesaler' && r.serial === seeded.vrs.serial), 'Helix sees the request in its log');
    assert.ok(seeded.alert, 'the worker raised the alert');
    assert.equal(seeded.alert.kind, 'UNKNOWN_SERIAL');
    assert.equal(seeded.alert.status, 'under_investigation');
    const seenByHelix = await verificationAlerts(clientOf('demo-manufacturer'), { gtin: seeded.alert.gtin });
    assert.ok(seenByHelix.some((a) => a.id === seeded.alert!.id), 'Helix sees the alert on its product');
  });

  it('seeds nothing twice on restart, and audits clean', async () => {
    const events = await server.eventCount();
    assert.deepEqual(await seedDemoParticipants(server.url, keysDir), []);
    assert.equal(await seedDemoCustody(server.url, keysDir), null);
    assert.equal(await server.eventCount(), events, 'a restart seeds nothing twice');

    await sealEverything(server);
    const report = await withDatabaseSnapshot(server.runtime.dataSource, (db) => auditDatabase(db));
    assert.equal(report.ok, true, report.ok ? '' : `${report.failure.code}: ${report.failure.why}`);
  });
});
