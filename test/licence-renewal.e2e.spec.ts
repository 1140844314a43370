// Licence renewal end to end, one scenario per rule: a regulator renews through the `renewLicence`
// mutation (SDK `renewLicence`, CLI `participant renew-licence`); a lapsed licence stops its holder until
// renewed; a renewal into the past is refused; nobody ships to a participant whose licence has expired.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { auditDatabase, withDatabaseSnapshot } from '@pharmatrace/audit';
import { packAssetId } from '@pharmatrace/custody/custody-events';
import { ParticipantEventTypes, participantAssetId } from '@pharmatrace/participants/participant-events';
import { EventPipeline } from '@pharmatrace/ledger';
import { commissionPacks, generateKeyFile, genesisEvent, PharmaTraceClient, receive, renewLicence, ship, writeKeyFile } from '@pharmatrace/sdk';
import { sealEverything, startTestServer, TestServer } from './support/test-server';
import { createTestNetwork, refusal, refusedWithNothingStored as storedNothing, TestNetwork, uniqueGln } from './support/test-network';
import { productAndBatch } from './support/custody-fixture';
import { runCli } from './support/run-cli';

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe('licence renewal', () => {
  let server: TestServer;
  let net: TestNetwork;
  let maker: PharmaTraceClient;

  before(async () => {
    server = await startTestServer();
    net = await createTestNetwork(server);
    maker = await net.join('manufacturer', 'lic-maker');
  });
  after(async () => server?.close());

  const refusedWithNothingStored = (code: string, fn: () => Promise<unknown>) => storedNothing(server, code, fn);
  /** The calendar moves on: the participant's licence lapses (only the clock can do this; no event does). */
  const lapse = (id: string) => server.runtime.dataSource.query('UPDATE participants SET licence_expires_on = $2 WHERE id = $1', [id, day(-1)]);

  it('licence renewal: a regulator renews a licence through renewLicence; the participant sees the new one', async () => {
    const pharmacy = await net.join('pharmacy', 'lic-pharmacy-1');
    const receipt = await renewLicence(net.regulator, pharmacy.participantId, { number: 'PH-2027', expiresOn: '2033-06-30' });
    assert.equal(receipt.type, ParticipantEventTypes.licenceRenewed);
    assert.deepEqual(receipt.result, { participant: pharmacy.participantId, licenceExpiresOn: '2033-06-30' });
    const me = await pharmacy.me();
    assert.deepEqual([me.licenceNumber, me.licenceExpiresOn], ['PH-2027', '2033-06-30']);
  });

  it('licence renewal: a lapsed participant can do nothing until renewed, then acts again', async () => {
    const wholesaler = await net.join('wholesaler', 'lic-wholesaler-1');
    await lapse(wholesaler.participantId);
    const { batch, gtin } = await productAndBatch(maker, 2);
    const { serials } = await commissionPacks(maker, batch, 1);
    const p = packAssetId(gtin, serials[0]);
    const refused = await refusedWithNothingStored('RECIPIENT_INVALID', () => ship(maker, wholesaler.participantId, [p]));
    assert.match(refused.message, /^The licence of lic-wholesaler-1 expired on .*cannot receive goods until a regulator renews it/);
    await renewLicence(net.regulator, wholesaler.participantId, { number: 'WH-NEW', expiresOn: day(365) });
    const { shipment } = await ship(maker, wholesaler.participantId, [p]);
    await receive(wholesaler, shipment);
  });

  it('licence renewal: a participant whose licence lapsed cannot sign (LICENCE_EXPIRED) until renewed', async () => {
    const other = await net.join('manufacturer', 'lic-maker-2');
    await lapse(other.participantId);
    const r = await refusedWithNothingStored('LICENCE_EXPIRED', () => productAndBatch(other, 1));
    assert.match(r.message, /a regulator must renew it first/);
    await renewLicence(net.regulator, other.participantId, { number: 'MF-NEW', expiresOn: day(0) });
    await productAndBatch(other, 1);
  });

  it('licence renewal into the past: refused with LICENCE_EXPIRED', async () => {
    const pharmacy = await net.join('pharmacy', 'lic-pharmacy-2');
    const r = await refusedWithNothingStored('LICENCE_EXPIRED', () => renewLicence(net.regulator, pharmacy.participantId, { number: 'PH-X', expiresOn: day(-1) }));
    assert.match(r.message, /^Licence PH-X of lic-pharmacy-2 expired on .*; a renewal must run until today or later\.$/);
    await refusedWithNothingStored('INVALID_EVENT_DATA', () => renewLicence(net.regulator, pharmacy.participantId, { number: 'PH-X', expiresOn: '2030-02-30' }));
    await refusedWithNothingStored('UNKNOWN_PARTICIPANT', () => renewLicence(net.regulator, 'lic-nobody', { number: 'PH-X', expiresOn: day(30) }));
  });

  it('licence renewal: only regulators, and the mutation takes only participant.licence_renewed events', async () => {
    const pharmacy = await net.join('pharmacy', 'lic-pharmacy-3');
    await refusedWithNothingStored('FORBIDDEN_ROLE', () => renewLicence(pharmacy, pharmacy.participantId, { number: 'SELF', expiresOn: day(3650) }));
    const suspend = await net.regulator.signWithHeads(ParticipantEventTypes.suspended, [participantAssetId(pharmacy.participantId)], { v: 1, participant: pharmacy.participantId, reason: 'x' });
    await refusedWithNothingStored('BAD_REQUEST', () => net.regulator.query('mutation($i: SignedEventInput!) { renewLicence(input: $i) { seq } }', { i: suspend }));
  });

  it('CLI: participant renew-licence renews a licence with the regulator key', async () => {
    const pharmacy = await net.join('pharmacy', 'lic-pharmacy-cli');
    const keyFile = join(server.environment.env.PHARMATRACE_DATA_DIR, 'lic-regulator.json');
    writeKeyFile(keyFile, net.regulator.key);
    const args = ['participant', 'renew-licence', '--server', server.url, '--key', keyFile, '--id', pharmacy.participantId, '--licence', 'PH-CLI-2'];
    const r = await runCli([...args, '--expires', '2034-01-31'], server.environment.env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).type, ParticipantEventTypes.licenceRenewed);
    assert.equal((await pharmacy.me()).licenceExpiresOn, '2034-01-31');
    const past = await runCli([...args, '--expires', '2020-01-31'], server.environment.env);
    assert.equal(past.code, 1);
    assert.match(past.stderr, /LICENCE_EXPIRED/);
    const usage = await runCli(args, server.environment.env);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--expires is required/);
  });

  it('audit: renewals replay clean', async () => {
    // every simulated lapse was followed by a renewal, so the stored licences are the events' again
    await sealEverything(server);
    const report = await withDatabaseSnapshot(server.runtime.dataSource, (db) => auditDatabase(db));
    assert.equal(report.ok, true, report.ok ? '' : `${report.failure.code}: ${report.failure.where} — ${report.failure.why}`);
  });
});

describe('licence at genesis', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
  });
  after(async () => server?.close());

  it('genesis with an expired licence: LICENCE_EXPIRED, and the deployment stays empty', async () => {
    const key = generateKeyFile('agency operator', 'operator', 'agency-lapsed');
    const signed = genesisEvent(key, { id: 'agency-lapsed', legalName: 'Lapsed Agency', gln: uniqueGln(), licence: { number: 'REG-OLD', expiresOn: day(-1) } });
    const r = await refusal(() => server.api.get(EventPipeline).submitOne(signed));
    assert.equal(r.code, 'LICENCE_EXPIRED');
    assert.match(r.message, /initialise the deployment with the regulator’s current licence/);
    assert.equal(await server.eventCount(), 0);
    // with a licence in force the same deployment initialises
    await server.api.get(EventPipeline).submitOne(genesisEvent(key, { id: 'agency-lapsed', legalName: 'Agency', gln: uniqueGln(), licence: { number: 'REG-NEW', expiresOn: day(0) } }));
    assert.equal(await server.eventCount(), 1);
  });
});
