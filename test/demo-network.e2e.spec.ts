// The demo network `npm start` seeds on an empty database: every journey it shows really happened
// through the API, is idempotent on restart, and audits clean.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { auditDatabase, withDatabaseSnapshot } from '@pharmatrace/audit';
import { EventPipeline } from '@pharmatrace/ledger';
import { demoGenesis, DEMO_PARTICIPANTS, keyFor, seedDemoCustody, seedDemoParticipants } from '@pharmatrace/demo-network';
import { item, PharmaTraceClient } from '@pharmatrace/sdk';
import { sealEverything, startTestServer, TestServer, waitFor } from './support/test-server';

describe('demo network', () => {
  let server: TestServer;
  let keysDir: string;

  before(async () => {
    server = await startTestServer();
    keysDir = join(server.environment.env.PHARMATRACE_DATA_DIR, 'demo-keys');
  });
  after(async () => server?.close());

  it('seeds participants and a supply chain down to two pharmacies, once', async () => {
    await server.api.get(EventPipeline).submitOne(demoGenesis(keysDir));
    assert.equal((await seedDemoParticipants(server.url, keysDir)).length, DEMO_PARTICIPANTS.length);
    const custody = await seedDemoCustody(server.url, keysDir);
    assert.ok(custody);
    const central = new PharmaTraceClient(server.url, keyFor(keysDir, DEMO_PARTICIPANTS.find((p) => p.id === 'demo-pharmacy-central') as (typeof DEMO_PARTICIPANTS)[number]));
    const pack = await item(central, custody.pharmacyPack);
    assert.equal(pack?.custodianId, 'demo-pharmacy-central');
    assert.equal(pack?.state, 'active');

    // The excursion on the way to Harbour Road is judged by the worker and quarantined.
    const harbour = new PharmaTraceClient(server.url, keyFor(keysDir, DEMO_PARTICIPANTS.find((p) => p.id === 'demo-pharmacy-harbour') as (typeof DEMO_PARTICIPANTS)[number]));
    const shipped = await harbour.query<{ shipment: { items: string[] } }>('query($id: String!) { shipment(id: $id) { items } }', { id: custody.excursionShipment });
    await waitFor('the excursion to quarantine the goods', async () => (await item(harbour, shipped.shipment.items[0]))?.state === 'quarantined', 30_000);
    assert.equal((await item(central, custody.pharmacyPack))?.state, 'active', 'goods kept in range stay active');

    const events = await server.eventCount();
    assert.deepEqual(await seedDemoParticipants(server.url, keysDir), []);
    assert.equal(await seedDemoCustody(server.url, keysDir), null);
    assert.equal(await server.eventCount(), events, 'a restart seeds nothing twice');

    await sealEverything(server);
    const report = await withDatabaseSnapshot(server.runtime.dataSource, (db) => auditDatabase(db));
    assert.equal(report.ok, true, report.ok ? '' : `${report.failure.code}: ${report.failure.why}`);
  });
});
