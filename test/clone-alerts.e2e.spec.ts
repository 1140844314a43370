// Clone alerts (issue 10, EMVS style), against the running server: public scans recorded by the ScanRecorder (as
// the patient page records them) are judged by the worker; alerts reach the product's manufacturer and the
// regulators (stored, and POSTed to their webhooks, signed by the ledger key). A new alert changes no verdict (its
// scans are what any client may assert); once the manufacturer or a regulator takes a clone-suspected alert up
// (under_investigation) the pack verdict says SUSPECTED_CLONE, until it is closed — and a closed alert stays closed.
// UNKNOWN_SERIAL alerts are bounded per GTIN and hour. The life cycle and every refusal, with nothing stored.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { packAssetId } from '@pharmatrace/custody/custody-events';
import { ScanRecorder } from '@pharmatrace/scan-alerts';
import {
  AlertView, AlertWebhookPayload, commissionPacks, dispense, issuePrescription, LedgerClient, patientPseudonym, PharmaTraceClient, receive, registerWebhook, ship,
  updateVerificationAlert, verificationAlert, verificationAlerts, verifyPack, verifyWebhookMessage, writeKeyFile,
} from '@pharmatrace/sdk';
import { startTestServer, TestServer, waitFor } from './support/test-server';
import { createTestNetwork, refusal, TestNetwork } from './support/test-network';
import { productAndBatch } from './support/custody-fixture';
import { runCli } from './support/run-cli';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local webhook receiver that answers 200 to everything. */
class Receiver {
  readonly requests: Received[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/alerts`;
    return this;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const device = (i: number): string => `device-${randomUUID()}-${i}`.slice(0, 64);

describe('clone alerts', () => {
  let server: TestServer;
  let net: TestNetwork;
  let regulator: PharmaTraceClient;
  let maker: PharmaTraceClient;
  let otherMaker: PharmaTraceClient;
  let pharmacy: PharmaTraceClient;
  /** A second pharmacy with a copy of a pack the first one supplied. */
  let otherPharmacy: PharmaTraceClient;
  let dr: PharmaTraceClient;
  let gtin: string;
  let serials: string[];
  const makerHook = new Receiver();
  const regulatorHook = new Receiver();
  const patient = patientPseudonym(randomBytes(32), 'AB-123456-C');
  const missingAlert = 'alert:00000000-0000-4000-8000-000000000000';

  const db = <T = unknown>(sql: string, params: unknown[] = []): Promise<T[]> => server.runtime.dataSource.query(sql, params);
  const record = (serial: string, region: string | null, deviceId: string | null, g = gtin): Promise<string> =>
    server.api.get(ScanRecorder).record({ gtin: g, serial, channel: 'app', status: 'SUPPLIED', reasons: [], region, deviceId });
  const alertOf = (client: PharmaTraceClient, serial: string, kind: string): Promise<AlertView | null | undefined> =>
    verificationAlerts(client, { gtin, kind: kind as AlertView['kind'] }).then((list) => list.find((a) => a.serial === serial));
  const waitAlert = (serial: string, kind: string): Promise<AlertView> => waitFor(`a ${kind} alert on ${serial}`, () => alertOf(regulator, serial, kind), 30_000);
  const judged = (ids: string[]): Promise<boolean> =>
    waitFor(`${ids.length} scans to be judged`, async () => (await db<{ n: number }>('SELECT count(*)::int AS n FROM pack_scans WHERE id = ANY($1::uuid[]) AND checked_at IS NOT NULL', [ids]))[0].n === ids.length, 30_000);
  const alertCount = async (serial: string, kind: string, g = gtin): Promise<number> =>
    (await db<{ n: number }>('SELECT count(*)::int AS n FROM verification_alerts WHERE gtin = $1 AND serial = $2 AND kind = $3', [g, serial, kind]))[0].n;
  /** The devices and places that raised the alerts below, reused to show a closed alert stays closed. */
  const inBavaria = device(1);
  const inFrance = device(2);
  const sixDevices = [1, 2, 3, 4, 5, 6].map(device);
  const updatesOf = async (id: string): Promise<number> => (await db<{ n: number }>('SELECT count(*)::int AS n FROM verification_alert_updates WHERE alert_id = $1', [id]))[0].n;
  const hasCloneReason = async (serial: string): Promise<boolean> => (await verifyPack(regulator, `01${gtin}21${serial}`)).reasons.some((r) => r.code === 'SUSPECTED_CLONE');
  async function supply(serial: string, at = pharmacy): Promise<void> {
    const { id } = await issuePrescription(dr, { patient, product: { gtin }, quantity: 1, refills: 0, validFrom: day(0), validUntil: day(90), controlledClass: 'none' });
    await dispense(at, { prescription: id, patient, scans: [`01${gtin}21${serial}`] });
  }
  /** The webhook bodies a receiver got for one alert, verified against the ledger's keys. */
  async function webhooksFor(receiver: Receiver, alertId: string): Promise<Array<{ id: string; payload: AlertWebhookPayload }>> {
    const keys = (await new LedgerClient(server.url).ledgerKeys()).map((k) => k.publicKey);
    return receiver.requests
      .map((r) => verifyWebhookMessage<AlertWebhookPayload>({ headers: r.headers, body: r.body, ledgerPublicKey: keys }))
      .filter((v) => v.payload.data.alert.id === alertId);
  }

  before(async () => {
    await Promise.all([makerHook.start(), regulatorHook.start()]);
    server = await startTestServer(undefined, { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_BACKOFF_MS: '200', SEAL_INTERVAL_MS: '500' });
    net = await createTestNetwork(server);
    regulator = net.regulator;
    [maker, otherMaker, pharmacy, otherPharmacy, dr] = await Promise.all([
      net.join('manufacturer'), net.join('manufacturer'), net.join('pharmacy'), net.join('pharmacy'), net.join('prescriber'),
    ]);
    await registerWebhook(maker, makerHook.url);
    await registerWebhook(regulator, regulatorHook.url);
    const made = await productAndBatch(maker, 10);
    gtin = made.gtin;
    serials = (await commissionPacks(maker, made.batch, 6)).serials;
    await receive(pharmacy, (await ship(maker, pharmacy.participantId, serials.map((s) => packAssetId(gtin, s)))).shipment);
    // Packs 0–3 and 5 are supplied to patients; pack 4 stays on the pharmacy's shelf.
    for (const s of [...serials.slice(0, 4), serials[5]]) await supply(s);
  });
  after(async () => {
    await server?.close();
    await Promise.all([makerHook.stop(), regulatorHook.stop()]);
  });

  it('genuine scans — one region, one device, again and again; its page giving the time zone and its app the country — raise nothing, and the verdict stays clear', async () => {
    const home = device(0);
    const ids = [await record(serials[0], 'DE-BY', home), await record(serials[0], 'DE-BY', home), await record(serials[0], 'DE', home)];
    // One phone: the page's script names the time zone, the app sends Scan-Region DE (and then BR: still one device).
    ids.push(await record(serials[0], 'Europe/Berlin', home), await record(serials[0], 'DE', home), await record(serials[0], 'BR', home));
    await judged(ids);
    assert.deepEqual(await db('SELECT id FROM verification_alerts WHERE gtin = $1 AND serial = $2', [gtin, serials[0]]), []);
    assert.equal(await hasCloneReason(serials[0]), false);
  });

  it('a supplied pack scanned in Bavaria and in France within the hour: REGIONS_WITHIN_WINDOW, maker and regulator are told by webhook, and the verdict is unchanged while the alert is new', async () => {
    await record(serials[1], 'DE-BY', inBavaria);
    await record(serials[1], 'FR', inFrance);
    const alert = await waitAlert(serials[1], 'REGIONS_WITHIN_WINDOW');
    assert.equal(alert.cloneSuspected, true);
    assert.equal(alert.status, 'new');
    assert.equal(alert.manufacturerId, maker.participantId);
    assert.deepEqual(alert.evidence.regions, ['DE-BY', 'FR']);
    assert.equal(await hasCloneReason(serials[1]), false, 'a new alert is evidence for investigators, not a verdict: anyone can send two regions');
    // The manufacturer sees it on its product; the other manufacturer and the pharmacy do not.
    assert.equal((await verificationAlert(maker, alert.id)).id, alert.id);
    assert.equal((await verificationAlerts(otherMaker)).length, 0);
    assert.equal((await verificationAlerts(pharmacy)).length, 0);
    const hidden = await refusal(() => verificationAlert(otherMaker, alert.id));
    const missing = await refusal(() => verificationAlert(otherMaker, missingAlert));
    assert.equal(hidden.code, 'UNKNOWN_ALERT');
    assert.equal(hidden.message, missing.message.split(missingAlert).join(alert.id), 'hidden answers exactly like missing');
    // Told once each, by a signed webhook.
    for (const [receiver, who] of [[makerHook, maker], [regulatorHook, regulator]] as const) {
      const hooks = await waitFor(`the alert webhook to ${who.participantId}`, async () => {
        const got = await webhooksFor(receiver, alert.id);
        return got.length > 0 ? got : null;
      }, 30_000);
      assert.equal(hooks[0].payload.type, 'verification_alert.raised');
      assert.equal(hooks[0].payload.data.participant, who.participantId);
      assert.equal(hooks[0].payload.data.alert.kind, 'REGIONS_WITHIN_WINDOW');
    }
    const stored = await db<{ participant_id: string }>('SELECT participant_id FROM alert_notifications WHERE alert_id = $1 ORDER BY participant_id', [alert.id]);
    assert.deepEqual(stored.map((s) => s.participant_id).sort(), [maker.participantId, regulator.participantId].sort());
  });

  it('six devices scanning one supplied pack (the limit is five): TOO_MANY_DEVICES, counting devices and never naming them; the verdict is unchanged while it is new', async () => {
    for (const d of sixDevices) await record(serials[2], 'DE', d);
    const alert = await waitAlert(serials[2], 'TOO_MANY_DEVICES');
    assert.equal(alert.evidence.devices, 6);
    assert.equal(alert.evidence.maxDevices, 5);
    assert.equal(sixDevices.some((d) => JSON.stringify(alert.evidence).includes(d)), false);
    assert.equal(alert.status, 'new');
    assert.equal(await hasCloneReason(serials[2]), false);
  });

  it('the same six devices on a pack still on the pharmacy’s shelf raise nothing: only scans after supply count', async () => {
    const ids: string[] = [];
    for (const i of [1, 2, 3, 4, 5, 6]) ids.push(await record(serials[4], 'DE', device(10 + i)));
    await waitFor('the scans to be judged', async () => (await db<{ n: number }>('SELECT count(*)::int AS n FROM pack_scans WHERE id = ANY($1::uuid[]) AND checked_at IS NOT NULL', [ids]))[0].n === 6, 30_000);
    assert.deepEqual(await db('SELECT id FROM verification_alerts WHERE gtin = $1 AND serial = $2', [gtin, serials[4]]), []);
  });

  it('a serial never commissioned under the maker’s GTIN: UNKNOWN_SERIAL, a falsified code (not a clone), for the maker', async () => {
    await record('NEVERMADE0001', 'AT', device(20));
    const alert = await waitAlert('NEVERMADE0001', 'UNKNOWN_SERIAL');
    assert.equal(alert.cloneSuspected, false);
    assert.equal(alert.manufacturerId, maker.participantId);
    assert.equal((await verificationAlerts(maker, { kind: 'UNKNOWN_SERIAL' })).some((a) => a.id === alert.id), true);
  });

  it('the counter scans a supplied pack again: refused ALREADY_SUPPLIED, nothing stored, and an INACTIVE_PACK_DECOMMISSIONED alert names the pharmacy to the regulator only', async () => {
    const before = await server.eventCount();
    assert.equal((await refusal(() => supply(serials[3]))).code, 'ALREADY_SUPPLIED');
    assert.equal(await server.eventCount(), before + 1, 'only the new prescription was stored, not the dispense');
    const alert = await waitAlert(serials[3], 'INACTIVE_PACK_DECOMMISSIONED');
    assert.deepEqual(alert.evidence.refusals, ['ALREADY_SUPPLIED']);
    assert.deepEqual(alert.evidence.participants, [pharmacy.participantId]);
    assert.equal(alert.evidence.attempts, 1);
    // The pharmacy that supplied it may have scanned it twice (or will undo the dispense): told, not a clone verdict.
    assert.equal(alert.cloneSuspected, false);
    assert.equal(await hasCloneReason(serials[3]), false);
    const makersView = await verificationAlert(maker, alert.id);
    assert.equal(JSON.stringify(makersView.evidence).includes(pharmacy.participantId), false, 'EU FMD art. 38: the maker is not told which pharmacy');
    assert.equal(makersView.evidence.participantCount, 1);
    // A second attempt adds to the open alert rather than raising another.
    assert.equal((await refusal(() => supply(serials[3]))).code, 'ALREADY_SUPPLIED');
    await waitFor('the second attempt in the evidence', async () => (await verificationAlert(regulator, alert.id)).evidence.attempts === 2, 30_000);
    assert.equal((await verificationAlerts(regulator, { gtin, kind: 'INACTIVE_PACK_DECOMMISSIONED' })).length, 1);
    // Another pharmacy cannot reach the pack at all (it may not see it: UNKNOWN_ITEM), and adds nothing.
    assert.equal((await refusal(() => supply(serials[3], otherPharmacy))).code, 'UNKNOWN_ITEM');
    // The maker's webhook names no pharmacy either.
    const hooks = await waitFor('the maker’s webhook', async () => {
      const got = await webhooksFor(makerHook, alert.id);
      return got.length > 0 ? got : null;
    }, 30_000);
    assert.equal(JSON.stringify(hooks[0].payload).includes(pharmacy.participantId), false);
  });

  it('life cycle: refusals store nothing; new → under_investigation (maker: SUSPECTED_CLONE) → closed with a note (regulator); closed is final; the verdict clears, and a further scan from a region already counted raises nothing', async () => {
    const alert = await waitAlert(serials[1], 'REGIONS_WITHIN_WINDOW');
    const refusedNothingStored = async (code: string, fn: () => Promise<unknown>): Promise<void> => {
      const n = await updatesOf(alert.id);
      const r = await refusal(fn);
      assert.equal(r.code, code, r.message);
      assert.ok(r.message.length > 20, 'a sentence');
      assert.equal(await updatesOf(alert.id), n, 'nothing stored');
    };
    await refusedNothingStored('FORBIDDEN_ROLE', () => updateVerificationAlert(pharmacy, alert.id, 'under_investigation'));
    await refusedNothingStored('UNKNOWN_ALERT', () => updateVerificationAlert(otherMaker, alert.id, 'under_investigation'));
    await refusedNothingStored('UNKNOWN_ALERT', () => updateVerificationAlert(maker, missingAlert, 'under_investigation'));
    await refusedNothingStored('ALERT_NOTE_REQUIRED', () => updateVerificationAlert(maker, alert.id, 'closed'));
    await refusedNothingStored('INVALID_ALERT_NOTE', () => updateVerificationAlert(maker, alert.id, 'closed', 'looked at it\u0007'));
    await refusedNothingStored('INVALID_ALERT_NOTE', () => updateVerificationAlert(maker, alert.id, 'closed', 'x'.repeat(2001)));
    await refusedNothingStored('INVALID_ALERT_NOTE', () => updateVerificationAlert(maker, alert.id, 'closed', '   '));
    await refusedNothingStored('INVALID_ALERT_NOTE', () => updateVerificationAlert(maker, alert.id, 'closed', 'see \u202Eevil'));
    await refusedNothingStored('ALERT_TRANSITION_INVALID', () => updateVerificationAlert(maker, alert.id, 'new'));

    assert.equal(await hasCloneReason(serials[1]), false, 'new: no verdict yet');
    const investigating = await updateVerificationAlert(maker, alert.id, 'under_investigation', 'Asked the pharmacy for the pack.');
    assert.deepEqual([investigating.status, investigating.revision], ['under_investigation', 2]);
    assert.equal(await hasCloneReason(serials[1]), true, 'suspected once the maker investigates');
    const closed = await updateVerificationAlert(regulator, alert.id, 'closed', 'The patient travelled with a relative’s phone;\nno copy found.');
    assert.deepEqual([closed.status, closed.revision], ['closed', 3]);
    assert.deepEqual(closed.updates.map((u) => [u.revision, u.status, u.byParticipantId]), [
      [1, 'new', null],
      [2, 'under_investigation', maker.participantId],
      [3, 'closed', regulator.participantId],
    ]);
    await refusedNothingStored('ALERT_TRANSITION_INVALID', () => updateVerificationAlert(regulator, alert.id, 'under_investigation'));
    await refusedNothingStored('ALERT_TRANSITION_INVALID', () => updateVerificationAlert(regulator, alert.id, 'closed', 'again'));
    assert.equal(await hasCloneReason(serials[1]), false, 'a closed alert no longer marks the serial');
    // Closed as a false positive, it stays closed: the phone in France scans again, within the hour of the scan in
    // Bavaria — only scans after the close count, and they show one place.
    await judged([await record(serials[1], 'FR', inFrance)]);
    assert.equal(await alertCount(serials[1], 'REGIONS_WITHIN_WINDOW'), 1, 'not raised again');
    assert.equal(await hasCloneReason(serials[1]), false);
    // Each revision is told: the maker's receiver gets revisions 1, 2 and 3.
    await waitFor('revisions 2 and 3 to reach the maker', async () => {
      const revs = new Set((await webhooksFor(makerHook, alert.id)).map((h) => h.payload.data.alert.revision));
      return revs.has(1) && revs.has(2) && revs.has(3);
    }, 30_000);
    const last = (await webhooksFor(makerHook, alert.id)).find((h) => h.payload.data.alert.revision === 3)!;
    assert.deepEqual([last.payload.type, last.payload.data.alert.status], ['verification_alert.updated', 'closed']);
    assert.match(String(last.payload.data.alert.note), /no copy found/);
  });

  it('list filters and page sizes are checked: INVALID_ALERT_FILTER and BAD_REQUEST', async () => {
    assert.equal((await refusal(() => verificationAlerts(regulator, { status: 'open' as never }))).code, 'INVALID_ALERT_FILTER');
    assert.equal((await refusal(() => verificationAlerts(regulator, { kind: 'CLONE' as never }))).code, 'INVALID_ALERT_FILTER');
    assert.equal((await refusal(() => verificationAlerts(regulator, { first: 101 }))).code, 'BAD_REQUEST');
    const closed = await verificationAlerts(regulator, { gtin, status: 'closed' });
    assert.equal(closed.every((a) => a.status === 'closed') && closed.length === 1, true);
  });

  it('a regulator takes a new clone alert up: the verdict says SUSPECTED_CLONE from then on, and clears when the regulator closes it', async () => {
    const serial = serials[5];
    await record(serial, 'DE', device(30));
    await record(serial, 'BR', device(31));
    const alert = await waitAlert(serial, 'REGIONS_WITHIN_WINDOW');
    assert.equal(alert.status, 'new');
    assert.equal(await hasCloneReason(serial), false, 'new: unchanged');
    const taken = await updateVerificationAlert(regulator, alert.id, 'under_investigation', 'Asked the maker to trace the pack.');
    assert.equal(taken.status, 'under_investigation');
    assert.equal(await hasCloneReason(serial), true, 'under investigation: SUSPECTED_CLONE');
    await updateVerificationAlert(regulator, alert.id, 'closed', 'Two relatives’ phones; the pack is with the patient.');
    assert.equal(await hasCloneReason(serial), false, 'closed: cleared');
  });

  it('a scan whose job was lost (stored, never queued) is judged by the worker’s sweep once it is a minute old', async () => {
    const id = randomUUID();
    await db(`INSERT INTO pack_scans (id, gtin, serial, channel, status, reasons, region, scanned_at) VALUES ($1, $2, 'LOSTJOB0001', 'app', 'UNKNOWN_SERIAL', '{}', 'DE', now() - interval '2 minutes')`, [id, gtin]);
    const alert = await waitAlert('LOSTJOB0001', 'UNKNOWN_SERIAL');
    assert.deepEqual(alert.evidence.scanIds, [id]);
    assert.equal((await db<{ checked: boolean }>('SELECT checked_at IS NOT NULL AS checked FROM pack_scans WHERE id = $1', [id]))[0].checked, true);
  });

  it('the CLI: alert list and alert update, with exit codes 0, 1 (refused, nothing stored) and 2 (bad usage)', async () => {
    const keyOf = (c: PharmaTraceClient): string => {
      const path = join(server.environment.env.PHARMATRACE_DATA_DIR, `${c.participantId}-alerts.json`);
      writeKeyFile(path, c.key);
      return path;
    };
    const cli = (args: string[]) => runCli([...args, '--server', server.url], server.environment.env);
    const makerKey = keyOf(maker);
    const listed = await cli(['alert', 'list', '--key', makerKey, '--kind', 'TOO_MANY_DEVICES', '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    const [alert] = JSON.parse(listed.stdout) as AlertView[];
    assert.equal(alert.serial, serials[2]);
    const human = await cli(['alert', 'list', '--key', makerKey, '--gtin', gtin]);
    assert.match(human.stdout, new RegExp(`${alert.id}  TOO_MANY_DEVICES \\(clone suspected\\)`));
    const n = await updatesOf(alert.id);
    const noNote = await cli(['alert', 'update', '--key', makerKey, '--id', alert.id, '--status', 'closed']);
    assert.equal(noNote.code, 1);
    assert.match(noNote.stderr, /ALERT_NOTE_REQUIRED/);
    assert.equal(await updatesOf(alert.id), n);
    const badUsage = await cli(['alert', 'update', '--key', makerKey, '--id', alert.id, '--status', 'open']);
    assert.equal(badUsage.code, 2);
    const closed = await cli(['alert', 'update', '--key', makerKey, '--id', alert.id, '--status', 'closed', '--note', 'Six relatives in one home; no copy found.']);
    assert.equal(closed.code, 0, closed.stderr);
    assert.match(closed.stdout, /is now closed \(revision 2\)/);
  });

  it('TOO_MANY_DEVICES closed as a false positive stays closed: one of the six devices scanning again raises nothing', async () => {
    await judged([await record(serials[2], 'DE', sixDevices[3])]);
    assert.equal(await alertCount(serials[2], 'TOO_MANY_DEVICES'), 1, 'not raised again');
    assert.deepEqual(await db('SELECT id FROM verification_alerts WHERE gtin = $1 AND serial = $2 AND status <> $3', [gtin, serials[2], 'closed']), []);
    assert.equal(await hasCloneReason(serials[2]), false);
  });

  it('a flood of random serials under one GTIN: past 20 UNKNOWN_SERIAL alerts within the hour, a further serial raises no alert and tells no one — it joins the latest open alert’s evidence', async () => {
    const other = (await productAndBatch(maker, 10)).gtin;
    // The first falsified serial raises its alert, told as usual.
    await record('FLOOD0000', 'AT', device(40), other);
    const first = await waitFor('the first UNKNOWN_SERIAL alert', async () => (await verificationAlerts(regulator, { gtin: other, kind: 'UNKNOWN_SERIAL' }))[0], 30_000);
    await waitFor('its notifications', async () => (await db<{ n: number }>('SELECT count(*)::int AS n FROM alert_notifications WHERE alert_id = $1', [first.id]))[0].n === 2, 30_000);
    // Nineteen more raised earlier in the hour (already closed), as a flood would have raised them: the GTIN is at the bound.
    for (let i = 1; i <= 19; i++) {
      await db(
        `INSERT INTO verification_alerts (id, kind, clone_suspected, gtin, serial, manufacturer_id, status, evidence, raised_at) VALUES ($1, 'UNKNOWN_SERIAL', false, $2, $3, $4, 'closed', '{}', now() - interval '10 minutes')`,
        [`alert:flood-${randomUUID()}`, other, `FLOODED${i}`, maker.participantId],
      );
    }
    const notificationsOnGtin = async (): Promise<number> =>
      (await db<{ n: number }>('SELECT count(*)::int AS n FROM alert_notifications n JOIN verification_alerts a ON a.id = n.alert_id WHERE a.gtin = $1', [other]))[0].n;
    const notificationsBefore = await notificationsOnGtin();
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) ids.push(await record(`RANDOM${i}`, 'DE', null, other));
    ids.push(await record('RANDOM1', 'DE', null, other));
    await judged(ids);
    assert.equal((await db<{ n: number }>('SELECT count(*)::int AS n FROM verification_alerts WHERE gtin = $1', [other]))[0].n, 20, 'no new alert');
    const joined = await verificationAlert(regulator, first.id);
    const otherSerials = joined.evidence.otherSerials as { serials: number; scans: number; sample: string[] };
    assert.deepEqual([otherSerials.serials, otherSerials.scans], [5, 6], 'five serials, six scans');
    assert.deepEqual([...otherSerials.sample].sort(), ['RANDOM1', 'RANDOM2', 'RANDOM3', 'RANDOM4', 'RANDOM5']);
    assert.equal(joined.revision, 1, 'no new revision: nobody is told again');
    assert.equal(await notificationsOnGtin(), notificationsBefore);
    // The alert's own serial scanned again: its own evidence grows, the other serials stay.
    await judged([await record('FLOOD0000', 'AT', device(40), other)]);
    const again = await verificationAlert(regulator, first.id);
    assert.equal(again.evidence.scans, 2);
    assert.equal((again.evidence.otherSerials as { serials: number }).serials, 5);
  });
});
