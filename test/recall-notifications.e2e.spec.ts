// Recall notifications end to end (docs/webhooks.md): a recall revision is fanned out by the worker to every
// participant that must be told — custodians, recipients of open shipments, pharmacies that supplied packs,
// the batches' manufacturer — once each per revision, and POSTed to those with a webhook, signed by the
// ledger key (Standard Webhooks v1a) and retried with exponential backoff. On the embedded default the queue
// is BullMQ's PostgreSQL backend; .ci/run runs this suite again on Redis. No fixed sleeps: every wait polls
// with a deadline.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { packAssetId, parseBatchAssetId } from '@pharmatrace/custody/custody-events';
import { RecallFanout } from '@pharmatrace/notifications';
import {
  acknowledgeRecall,
  amendRecall,
  closeRecall,
  commissionPacks,
  dispense,
  initiateRecall,
  issuePrescription,
  LedgerClient,
  myRecallNotifications,
  myWebhook,
  patientPseudonym,
  PharmaTraceClient,
  RecallDeliveryView,
  recallDeliveries,
  recallDeliveriesElsewhere,
  receive,
  registerWebhook,
  removeWebhook,
  ship,
  verifyWebhookMessage,
} from '@pharmatrace/sdk';
import { startTestServer, TestServer, waitFor } from './support/test-server';
import { createTestNetwork, refusal, refusedWithNothingStored, TestNetwork } from './support/test-network';
import { productAndBatch } from './support/custody-fixture';
import { deliveredPallet } from './support/cold-chain-fixture';

const MAX_ATTEMPTS = 3;
const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
  /** When it arrived (ms since the epoch). */
  at: number;
}

/** A local webhook receiver: `answer(n)` gives the status of the n-th request (1-based) of one webhook-id, or null to never answer. */
class Receiver {
  readonly requests: Received[] = [];
  private readonly sockets = new Set<Socket>();
  private server!: Server;
  url = '';

  constructor(private readonly answer: (attempt: number) => number | null) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const id = String(req.headers['webhook-id']);
        const attempt = this.requests.filter((r) => r.headers['webhook-id'] === id).length + 1;
        const status = this.answer(attempt);
        this.requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status: status ?? 0, at: Date.now() });
        if (status !== null) res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'not now');
      });
    });
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/pharmatrace/webhook`;
    return this;
  }

  for(id: string): Received[] {
    return this.requests.filter((r) => r.headers['webhook-id'] === id);
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe('recall notifications', () => {
  let server: TestServer;
  let net: TestNetwork;
  let regulator: PharmaTraceClient;
  let maker: PharmaTraceClient;
  let wholesaler: PharmaTraceClient;
  let pharmacy: PharmaTraceClient;
  let clinic: PharmaTraceClient;
  let stranger: PharmaTraceClient;
  let batch: string;
  let recall: string;
  const flaky = new Receiver((n) => (n <= 2 ? 500 : 200));
  const silent = new Receiver(() => null);
  const db = <T = unknown>(sql: string, params: unknown[] = []): Promise<T[]> => server.runtime.dataSource.query(sql, params);

  const deliveriesOf = (revision: number) => recallDeliveries(regulator, recall, { revision });
  const settled = (d: RecallDeliveryView) => d.webhookState === 'none' || d.webhookState === 'delivered' || d.webhookState === 'failed';
  /** Polls until every notification of the revision exists (the worker fanned it out) and every webhook has its final state. */
  const fannedOutAndSettled = (revision: number, participants: number) =>
    waitFor(
      `revision ${revision} to be fanned out to ${participants} participants and every webhook settled`,
      async () => {
        const list = await deliveriesOf(revision);
        return list.length === participants && list.every(settled) ? list : null;
      },
      30_000,
    );
  const of = (list: RecallDeliveryView[], who: PharmaTraceClient) => {
    const mine = list.filter((d) => d.participantId === who.participantId);
    assert.equal(mine.length, 1, `${who.participantId} is notified exactly once per revision`);
    return mine[0];
  };

  before(async () => {
    await Promise.all([flaky.start(), silent.start()]);
    server = await startTestServer(undefined, {
      WEBHOOK_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      WEBHOOK_BACKOFF_MS: '200',
      WEBHOOK_TIMEOUT_MS: '500',
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      SEAL_INTERVAL_MS: '500',
    });
    net = await createTestNetwork(server);
    regulator = net.regulator;
    [maker, wholesaler, pharmacy, clinic, stranger] = await Promise.all([
      net.join('manufacturer', 'rn-maker'),
      net.join('wholesaler', 'rn-wholesaler'),
      net.join('pharmacy', 'rn-pharmacy'),
      net.join('pharmacy', 'rn-clinic'),
      net.join('pharmacy', 'rn-stranger'),
    ]);
    const dr = await net.join('prescriber', 'rn-dr');
    ({ batch } = await productAndBatch(maker));
    const { gtin } = parseBatchAssetId(batch)!;

    // The wholesaler holds a pallet of 4 and 2 loose packs: 6 packs, one notification.
    await deliveredPallet(maker, wholesaler, batch);
    const loose = (await commissionPacks(maker, batch, 2)).serials.map((s) => packAssetId(gtin, s));
    await receive(wholesaler, (await ship(maker, wholesaler.participantId, loose)).shipment);
    // The pharmacy received 2 packs and supplied one to a patient: custodian and supplier.
    const toPharmacy = (await commissionPacks(maker, batch, 2)).serials;
    await receive(pharmacy, (await ship(maker, pharmacy.participantId, toPharmacy.map((s) => packAssetId(gtin, s)))).shipment);
    const patient = patientPseudonym(randomBytes(32), 'RN-123456-C');
    const rx = await issuePrescription(dr, { patient, product: { gtin }, quantity: 1, refills: 0, validFrom: day(0), validUntil: day(30), controlledClass: 'none' });
    await dispense(pharmacy, { prescription: rx.id, patient, scans: [`01${gtin}21${toPharmacy[0]}`] });
    // 3 packs are on their way to the clinic, which has no webhook.
    const toClinic = (await commissionPacks(maker, batch, 3)).serials.map((s) => packAssetId(gtin, s));
    await ship(maker, clinic.participantId, toClinic);

    await registerWebhook(wholesaler, flaky.url);
    await registerWebhook(pharmacy, silent.url);
    await registerWebhook(maker, flaky.url);
  });

  after(async () => {
    await server?.close();
    await Promise.all([flaky.stop(), silent.stop()]);
  });

  it('webhooks: registered, replaced and removed by the participant itself; a bad URL is refused with WEBHOOK_URL_INVALID and stores nothing', async () => {
    await registerWebhook(stranger, 'https://erp.example.com/one');
    assert.equal((await registerWebhook(stranger, 'https://erp.example.com/two')).url, 'https://erp.example.com/two');
    for (const bad of ['ftp://erp.example.com/hook', 'https://user:pw@erp.example.com/hook', 'not a url', `https://erp.example.com/${'x'.repeat(2100)}`]) {
      const r = await refusal(() => registerWebhook(stranger, bad));
      assert.equal(r.code, 'WEBHOOK_URL_INVALID', bad);
    }
    assert.equal((await myWebhook(stranger))?.url, 'https://erp.example.com/two', 'a refused URL leaves the registered one as it was');
    assert.equal(await removeWebhook(stranger), true);
    assert.equal(await removeWebhook(stranger), false);
    assert.equal(await myWebhook(stranger), null);
  });

  it('initiation: every holder is told once — custodian, in-transit recipient, supplying pharmacy, and the batch’s manufacturer', async () => {
    ({ recall } = await initiateRecall(regulator, {
      class: 'II',
      reason: 'out-of-specification assay result',
      instructions: 'Quarantine all stock of this batch and return it to the manufacturer.',
      notifyPatients: true,
      batches: [batch],
    }));
    const list = await fannedOutAndSettled(1, 4);
    assert.deepEqual([of(list, wholesaler).reasons, of(list, wholesaler).affectedPacks], [['custodian'], 6]);
    assert.deepEqual([[...of(list, pharmacy).reasons].sort(), of(list, pharmacy).affectedPacks], [['custodian', 'supplier'], 2]);
    assert.deepEqual([of(list, clinic).reasons, of(list, clinic).affectedPacks], [['in_transit_recipient'], 3]);
    assert.ok(of(list, maker).reasons.includes('manufacturer'), 'the manufacturer, which did not initiate it, is told');
    assert.equal(list.some((d) => d.participantId === stranger.participantId), false);
  });

  it('a flaky receiver: 500 twice, then 200 — delivered on the third attempt, the same webhook-id and body every time, signed by the ledger key', async () => {
    const d = of(await deliveriesOf(1), wholesaler);
    assert.deepEqual([d.webhookState, d.webhookAttempts, d.webhookLastStatus, d.webhookLastError], ['delivered', 3, 200, null]);
    const id = `msg_${recall}_1_${wholesaler.participantId}`;
    const attempts = flaky.for(id);
    assert.deepEqual(attempts.map((a) => a.status), [500, 500, 200]);
    assert.equal(new Set(attempts.map((a) => a.body)).size, 1, 'every retry carries the same bytes');
    const keys = (await new LedgerClient(server.url).ledgerKeys()).map((k) => k.publicKey);
    for (const a of attempts) {
      assert.equal(a.headers['content-type'], 'application/json');
      assert.match(String(a.headers['webhook-signature']), /^v1a,/);
      const verified = verifyWebhookMessage({ headers: a.headers, body: a.body, ledgerPublicKey: keys });
      assert.equal(verified.id, id);
      const p = verified.payload;
      assert.deepEqual(
        [p.type, p.data.recall, p.data.revision, p.data.class, p.data.notifyPatients, p.data.batches, p.data.reasons, p.data.affectedPacks, p.data.participant],
        ['recall.initiated', recall, 1, 'II', true, [batch], ['custodian'], 6, wholesaler.participantId],
      );
      assert.equal(p.data.instructions, 'Quarantine all stock of this batch and return it to the manufacturer.');
      assert.equal('links' in p.data, false, 'no links to the bind address when PUBLIC_BASE_URL is not set');
    }
    // Exponential backoff, on either queue backend: 200 ms before the first retry, 400 ms before the second.
    const gaps = [attempts[1].at - attempts[0].at, attempts[2].at - attempts[1].at];
    assert.ok(gaps[0] >= 190 && gaps[1] >= 390, `retries waited ${gaps.join(' ms, ')} ms`);
    const times = attempts.map((a) => Number(a.headers['webhook-timestamp']));
    assert.ok(times[2] >= times[0], 'each attempt carries its own timestamp');
    // A body altered in transit does not verify.
    assert.throws(() => verifyWebhookMessage({ headers: attempts[2].headers, body: attempts[2].body.replace('"II"', '"III"'), ledgerPublicKey: keys }), {
      code: 'WEBHOOK_SIGNATURE_INVALID',
    });
  });

  it('a receiver that never answers: given up after the last attempt, failed, and the regulator sees the last error', async () => {
    const d = of(await deliveriesOf(1), pharmacy);
    assert.equal(d.webhookState, 'failed');
    assert.equal(d.webhookAttempts, MAX_ATTEMPTS);
    assert.equal(d.webhookLastStatus, null);
    assert.match(d.webhookLastError ?? '', /no answer within 500 ms/);
    assert.ok(d.webhookFailedAt);
    assert.equal(silent.for(`msg_${recall}_1_${pharmacy.participantId}`).length, MAX_ATTEMPTS);
    // Its notification is stored all the same.
    const mine = await myRecallNotifications(pharmacy);
    assert.deepEqual(mine.map((n) => [n.recall, n.revision, n.webhookState]), [[recall, 1, 'failed']]);
  });

  it('a participant without a webhook still has its notification stored, to read and acknowledge', async () => {
    const [n] = await myRecallNotifications(clinic);
    assert.deepEqual(
      [n.recall, n.revision, n.kind, n.class, n.reasons, n.affectedPacks, n.webhookState, n.acknowledgedAt],
      [recall, 1, 'initiated', 'II', ['in_transit_recipient'], 3, 'none', null],
    );
    assert.equal(n.instructions, 'Quarantine all stock of this batch and return it to the manufacturer.');
    assert.equal(of(await deliveriesOf(1), clinic).webhookState, 'none');
  });

  it('re-running the fan-out of a revision (a lost job, the sweep) stores and sends nothing twice', async () => {
    const count = async () => (await db<{ n: string }>('SELECT count(*) AS n FROM recall_notifications WHERE recall_id = $1', [recall]))[0].n;
    const deliveries = async () => (await db<{ n: string }>('SELECT count(*) AS n FROM webhook_deliveries d JOIN recall_notifications n ON n.id = d.notification_id WHERE n.recall_id = $1', [recall]))[0].n;
    const before = [await count(), await deliveries()];
    assert.deepEqual(await server.worker.get(RecallFanout).fanOut(recall, 1), [], 'a revision fanned out already is skipped');
    // As if the job had been lost after the rows were written but before fanned_out_at: the worker's sweep picks it up.
    await db('UPDATE recall_revisions SET fanned_out_at = NULL WHERE recall_id = $1 AND revision = 1', [recall]);
    await waitFor('the sweep to fan revision 1 out again', async () => {
      const [r] = await db<{ done: boolean }>('SELECT fanned_out_at IS NOT NULL AS done FROM recall_revisions WHERE recall_id = $1 AND revision = 1', [recall]);
      return r.done;
    });
    assert.deepEqual([await count(), await deliveries()], before);
    assert.equal(flaky.for(`msg_${recall}_1_${wholesaler.participantId}`).length, 3);
  });

  it('acknowledgement: a signed recall.acknowledged shows in recallDeliveries', async () => {
    const receipt = await acknowledgeRecall(clinic, recall, 1);
    const d = of(await deliveriesOf(1), clinic);
    assert.equal(d.acknowledgedHash, receipt.hash);
    assert.ok(d.acknowledgedAt);
    assert.equal((await myRecallNotifications(clinic))[0].acknowledgedHash, receipt.hash);
    assert.equal(of(await deliveriesOf(1), wholesaler).acknowledgedAt, null);
  });

  it('an amendment is a new revision: everyone is told again, with the new instructions and class', async () => {
    await amendRecall(regulator, recall, { instructions: 'Destroy all stock on site and report the quantities.', class: 'I' });
    const list = await fannedOutAndSettled(2, 4);
    assert.deepEqual(of(list, wholesaler).webhookState, 'delivered');
    assert.deepEqual(of(list, clinic).acknowledgedAt, null, 'revision 2 is acknowledged on its own');
    const [latest] = await myRecallNotifications(clinic);
    assert.deepEqual([latest.revision, latest.kind, latest.instructions], [2, 'amended', 'Destroy all stock on site and report the quantities.']);
    const body = flaky.for(`msg_${recall}_2_${wholesaler.participantId}`).at(-1)!;
    const keys = (await new LedgerClient(server.url).ledgerKeys()).map((k) => k.publicKey);
    const p = verifyWebhookMessage({ headers: body.headers, body: body.body, ledgerPublicKey: keys }).payload;
    assert.deepEqual([p.type, p.data.revision, p.data.class], ['recall.amended', 2, 'I']);
    assert.equal((await deliveriesOf(1)).length, 4, 'revision 1 keeps its own notifications');
  });

  it('a delivery whose job was lost (a queue outage when it was queued) is queued again by the worker’s sweep', async () => {
    // The clinic registers a webhook, and a delivery of its revision-1 notification is recorded as pending an
    // hour ago with no job behind it: what a queue outage between the fan-out's commit and its enqueue leaves.
    await registerWebhook(clinic, flaky.url);
    const [n] = await db<{ id: string }>('SELECT id FROM recall_notifications WHERE recall_id = $1 AND revision = 1 AND participant_id = $2', [recall, clinic.participantId]);
    await db(`INSERT INTO webhook_deliveries (notification_id, participant_id, url, state, created_at) VALUES ($1, $2, $3, 'pending', now() - interval '1 hour')`, [
      n.id,
      clinic.participantId,
      flaky.url,
    ]);
    const d = await waitFor('the lost delivery to be made', async () => {
      const x = of(await deliveriesOf(1), clinic);
      return x.webhookState === 'delivered' ? x : null;
    }, 30_000);
    assert.equal(d.webhookAttempts, 3);
    assert.equal(flaky.for(`msg_${recall}_1_${clinic.participantId}`).length, 3);
    await removeWebhook(clinic);
  });

  it('the close is a revision too: everyone told before hears that it is closed, with the summary', async () => {
    await closeRecall(regulator, recall, 'All reachable stock returned and destroyed.');
    const list = await fannedOutAndSettled(3, 4);
    assert.deepEqual(list.map((d) => d.kind), ['closed', 'closed', 'closed', 'closed']);
    const last = flaky.for(`msg_${recall}_3_${wholesaler.participantId}`).at(-1)!;
    const keys = (await new LedgerClient(server.url).ledgerKeys()).map((k) => k.publicKey);
    const p = verifyWebhookMessage({ headers: last.headers, body: last.body, ledgerPublicKey: keys }).payload;
    assert.deepEqual([p.type, p.data.revision, p.data.closeSummary, p.data.class], ['recall.closed', 3, 'All reachable stock returned and destroyed.', 'I']);
  });

  it('a stranger gets nothing: no notifications, and recallDeliveries answers as for a recall that does not exist; so does the manufacturer that did not initiate it', async () => {
    assert.deepEqual(await myRecallNotifications(stranger), []);
    for (const who of [stranger, maker, wholesaler]) {
      assert.equal((await refusal(() => recallDeliveries(who, recall))).code, 'UNKNOWN_RECALL');
      assert.equal((await refusal(() => recallDeliveriesElsewhere(who, recall))).code, 'UNKNOWN_RECALL');
    }
    const missing = await refusal(() => recallDeliveries(stranger, 'recall:does-not-exist'));
    const hidden = await refusal(() => recallDeliveries(stranger, recall));
    assert.equal(hidden.message.replace(recall, '<id>'), missing.message.replace('recall:does-not-exist', '<id>'));
  });

  it('a voluntary recall by the manufacturer: it sees the deliveries to itself and its direct customers, everyone further down as one line (EU FMD art. 38), and is not told of its own recall as manufacturer', async () => {
    const { batch: own } = await productAndBatch(maker);
    const { gtin } = parseBatchAssetId(own)!;
    const packs = (await commissionPacks(maker, own, 2)).serials.map((s) => packAssetId(gtin, s));
    await receive(wholesaler, (await ship(maker, wholesaler.participantId, packs)).shipment);
    // The wholesaler sells one pack on: the pharmacy holds the maker's pack, but is not the maker's customer.
    await receive(pharmacy, (await ship(wholesaler, pharmacy.participantId, [packs[0]])).shipment);
    const voluntary = await initiateRecall(maker, { class: 'III', reason: 'label misprint', instructions: 'Return to the manufacturer.', notifyPatients: false, batches: [own] });
    const everyone = await waitFor('the voluntary recall to be fanned out and every webhook settled', async () => {
      const l = await recallDeliveries(regulator, voluntary.recall);
      return l.length === 2 && l.every(settled) ? l : null;
    }, 30_000);
    assert.deepEqual(everyone.map((d) => d.participantId).sort(), [pharmacy.participantId, wholesaler.participantId].sort(), 'the regulator sees every holder');
    assert.equal(await recallDeliveriesElsewhere(regulator, voluntary.recall), null, 'nothing is aggregated away from a regulator');

    const mine = await recallDeliveries(maker, voluntary.recall);
    assert.deepEqual(mine.map((d) => [d.participantId, d.reasons]), [[wholesaler.participantId, ['custodian']]], 'only its direct customer, by name');
    assert.equal(mine[0].affectedPacks, null, 'not how many packs its customer holds (some may come from others)');
    assert.equal(mine.some((d) => d.participantId === pharmacy.participantId), false);
    // Everyone told but the maker, as a count only: the wholesaler (delivered) and the pharmacy (never answers).
    // Counting only those beyond its customers would tell, beside recallProgress, where its other packs sit.
    assert.deepEqual(await recallDeliveriesElsewhere(maker, voluntary.recall), { holders: 2, acknowledged: 0, delivered: 1, failed: 1, pending: 0 });
    await acknowledgeRecall(pharmacy, voluntary.recall, 1);
    assert.deepEqual(await recallDeliveriesElsewhere(maker, voluntary.recall, { revision: 1 }), { holders: 2, acknowledged: 1, delivered: 1, failed: 1, pending: 0 });
    assert.deepEqual((await recallDeliveries(maker, voluntary.recall, { revision: 1 })).map((d) => d.participantId), [wholesaler.participantId]);

    await refusedWithNothingStored(server, 'UNKNOWN_RECALL', () => recallDeliveries(stranger, voluntary.recall));
    await refusedWithNothingStored(server, 'UNKNOWN_RECALL', () => recallDeliveriesElsewhere(wholesaler, voluntary.recall));
  });
});

/**
 * A dead receiver (accepts the connection, never answers) must not delay anyone else's webhook. With two
 * delivery slots, one receiver may hold only one of them (WEBHOOK_PER_HOST_CONCURRENCY, capped below
 * WEBHOOK_CONCURRENCY); its further deliveries wait on the queue without a slot and without counting an
 * attempt; and fan-outs have their own queue. The timeout is long, so that "no hanging attempt has ended yet"
 * is the bound: the healthy receiver must be served while every attempt at the dead one is still in flight.
 */
describe('recall notifications: a dead receiver delays no one else', () => {
  const TIMEOUT_MS = 45_000;
  let server: TestServer;
  let regulator: PharmaTraceClient;
  let maker: PharmaTraceClient;
  let stuck: PharmaTraceClient;
  let healthy: PharmaTraceClient;
  const hanging = new Receiver(() => null);
  const answering = new Receiver(() => 200);

  before(async () => {
    await Promise.all([hanging.start(), answering.start()]);
    server = await startTestServer(undefined, {
      WEBHOOK_CONCURRENCY: '2',
      WEBHOOK_PER_HOST_CONCURRENCY: '2',
      WEBHOOK_MAX_ATTEMPTS: '2',
      WEBHOOK_BACKOFF_MS: '200',
      WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      SEAL_INTERVAL_MS: '500',
      PUBLIC_BASE_URL: 'https://pharmatrace.example/',
    });
    const net = await createTestNetwork(server);
    regulator = net.regulator;
    [maker, stuck, healthy] = await Promise.all([net.join('manufacturer', 'dr-maker'), net.join('wholesaler', 'dr-stuck'), net.join('pharmacy', 'dr-healthy')]);
    await registerWebhook(stuck, hanging.url);
    await registerWebhook(healthy, answering.url);
  });

  after(async () => {
    // The dead receiver first: its sockets closed, the attempts in flight end and the worker can stop.
    await hanging.stop();
    await server?.close();
    await answering.stop();
  });

  /** A batch of the maker's with `n` packs held by `holder` only. */
  async function batchHeldBy(holder: PharmaTraceClient): Promise<string> {
    const { batch } = await productAndBatch(maker);
    const { gtin } = parseBatchAssetId(batch)!;
    const packs = (await commissionPacks(maker, batch, 1)).serials.map((s) => packAssetId(gtin, s));
    await receive(holder, (await ship(maker, holder.participantId, packs)).shipment);
    return batch;
  }
  const recallOf = async (batch: string) =>
    (await initiateRecall(maker, { class: 'II', reason: 'sterility assurance', instructions: 'Quarantine and return.', notifyPatients: false, batches: [batch] })).recall;
  const onlyDelivery = async (recall: string) => {
    const list = await recallDeliveries(regulator, recall);
    return list.length === 1 ? list[0] : null;
  };

  it('three recalls reach only the dead receiver, then one reaches only a healthy receiver: it is delivered while every attempt at the dead one is still in flight', async () => {
    const stuckBatches = [await batchHeldBy(stuck), await batchHeldBy(stuck), await batchHeldBy(stuck)];
    const healthyBatch = await batchHeldBy(healthy);
    const stuckRecalls: string[] = [];
    for (const b of stuckBatches) stuckRecalls.push(await recallOf(b));
    // The dead receiver holds a delivery slot, and every one of its deliveries is queued, before the healthy recall.
    await waitFor('the dead receiver to hold an attempt and its three deliveries to be queued', async () => {
      const rows = await Promise.all(stuckRecalls.map(onlyDelivery));
      return hanging.requests.length >= 1 && rows.every((d) => d?.webhookState === 'pending');
    }, 30_000);
    const healthyRecall = await recallOf(healthyBatch);

    // Poll until the healthy webhook arrives or a dead attempt ends (its timeout): whichever comes first.
    const outcome = await waitFor(
      'the healthy delivery, or the end of an attempt at the dead receiver',
      async () => {
        const mine = await onlyDelivery(healthyRecall);
        const stuckRows = await Promise.all(stuckRecalls.map(onlyDelivery));
        const deadAttemptEnded = stuckRows.some((d) => d?.webhookLastError !== null);
        return mine?.webhookState === 'delivered' || deadAttemptEnded ? { mine, stuckRows, requestsToDead: hanging.requests.length } : null;
      },
      TIMEOUT_MS + 30_000,
    );
    assert.equal(outcome.mine?.webhookState, 'delivered', 'the healthy receiver got its webhook');
    for (const d of outcome.stuckRows) {
      assert.equal(d?.webhookState, 'pending', 'the dead receiver’s deliveries are all still pending');
      assert.equal(d?.webhookLastError, null, 'no attempt at the dead receiver had ended: the healthy one did not wait for a timeout');
    }
    assert.equal(outcome.requestsToDead, 1, 'one attempt in flight at the dead receiver (its cap), not one per slot');
    assert.equal(
      outcome.stuckRows.reduce((n, d) => n + (d?.webhookAttempts ?? 0), 0),
      1,
      'a delivery waiting for the receiver’s cap counts no attempt',
    );
    assert.equal(answering.requests.length, 1);

    // PUBLIC_BASE_URL is set here: the payload links to it (and never to the bind address).
    const keys = (await new LedgerClient(server.url).ledgerKeys()).map((k) => k.publicKey);
    const p = verifyWebhookMessage({ headers: answering.requests[0].headers, body: answering.requests[0].body, ledgerPublicKey: keys }).payload;
    assert.deepEqual(p.data.links, { graphql: 'https://pharmatrace.example/graphql', ledgerKeys: 'https://pharmatrace.example/.well-known/pharmatrace-ledger' });

    // The dead receiver goes away: the attempt in flight fails, and the deliveries that waited come back from the
    // queue and are attempted — each exactly WEBHOOK_MAX_ATTEMPTS times, the waits having counted none.
    await hanging.stop();
    const given = await waitFor('the dead receiver’s deliveries to be given up after their attempts', async () => {
      const rows = await Promise.all(stuckRecalls.map(onlyDelivery));
      return rows.every((d) => d?.webhookState === 'failed') ? rows : null;
    }, 60_000);
    assert.deepEqual(given.map((d) => d?.webhookAttempts), [2, 2, 2]);
  });
});
