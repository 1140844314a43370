// EPCIS 2.0 import (issue 11, docs/epcis.md "Import"), end to end against a real server: every GS1 example
// document copied under test/vectors/epcis/examples is imported or refused with a precise reason per event index
// (nothing stored on refusal), and a round trip: a network's export, adapted to another manufacturer's batch and
// partner GLNs, imported as a partner would (commission + pack + ship, then receive) leaves the same state.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commissionPacks, importEpcisText, item, pack, PharmaTraceClient, ship, shipment, writeKeyFile } from '@pharmatrace/sdk';
import { startTestServer, TestServer } from './support/test-server';
import { createTestNetwork, TestNetwork } from './support/test-network';
import { newSscc, productAndBatch } from './support/custody-fixture';
import { runCli } from './support/run-cli';

const EXAMPLES = join(__dirname, 'vectors', 'epcis', 'examples');

/** The expected outcome of importing each example as a manufacturer of this network: refusals as [index, code]. */
const EXPECTED: Record<string, Array<[number, string]>> = {
  // TransactionEvents (business transactions) have no PharmaTrace counterpart.
  'Example-TransactionEvents-2020_07_03y.jsonld': [[0, 'EPCIS_UNSUPPORTED_EVENT'], [1, 'EPCIS_UNSUPPORTED_EVENT']],
  // Shipping without a destinationList party; receiving items no open shipment to the signer carries.
  'Example_9.6.1-ObjectEvent.jsonld': [[0, 'EPCIS_UNKNOWN_PARTY'], [1, 'EPCIS_INCONSISTENT']],
  // Receiving by quantityList only (no EPCs).
  'Example_9.6.2-ObjectEvent.jsonld': [[0, 'EPCIS_UNSUPPORTED_EVENT']],
  // AggregationEvent OBSERVE receiving: only ADD packing / DELETE unpacking map.
  'Example_9.6.3-AggregationEvent.jsonld': [[0, 'EPCIS_UNSUPPORTED_EVENT']],
  // Receiving with no open shipment; inspecting has no counterpart.
  'PersistentDisposition-example.jsonld': [[0, 'EPCIS_INCONSISTENT'], [1, 'EPCIS_UNSUPPORTED_EVENT']],
  // Temperature reports of an SGTIN that is no item of this network.
  'SensorDataExample1.jsonld': [[0, 'EPCIS_NOT_YOURS']],
  'SensorDataExample2.jsonld': [[0, 'EPCIS_NOT_YOURS']],
  // Sensor reports of no single SGTIN/SSCC subject (epcList empty: quantities or a location).
  'SensorDataExample3.jsonld': [[0, 'EPCIS_UNSUPPORTED_EVENT']],
  'SensorDataExample4.jsonld': [[0, 'EPCIS_UNSUPPORTED_EVENT']],
  'SensorDataExample5.jsonld': [[0, 'EPCIS_NOT_YOURS']],
  'SensorDataExample6.jsonld': [[0, 'EPCIS_NOT_YOURS']],
  'aggregation_event_all_possible_fields.jsonld': [[0, 'EPCIS_UNSUPPORTED_EVENT']],
  // ObjectEvent ADD receiving: ADD maps to commissioning only.
  'object_event_all_possible_fields.jsonld': [[0, 'EPCIS_UNSUPPORTED_EVENT']],
  'transaction_event_all_possible_fields.jsonld': [[0, 'EPCIS_UNSUPPORTED_EVENT']],
};

describe('EPCIS 2.0 import', () => {
  let server: TestServer;
  let net: TestNetwork;
  let maker: PharmaTraceClient;

  before(async () => {
    server = await startTestServer();
    net = await createTestNetwork(server);
    maker = await net.join('manufacturer');
  });
  after(async () => {
    await server?.close();
  });

  it('every example document is imported or refused with a reason per event index, nothing stored on refusal', async () => {
    const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.jsonld') || f.endsWith('.json')).sort();
    assert.deepEqual(files, Object.keys(EXPECTED).sort(), 'the table names every example file');
    const seen: Record<string, Array<[number, string]>> = {};
    for (const file of files) {
      const before = await server.eventCount();
      const result = await importEpcisText(maker, readFileSync(join(EXAMPLES, file), 'utf8'));
      assert.equal(await server.eventCount(), before, `${file}: nothing stored`);
      assert.ok(!result.ok, `${file} is refused`);
      for (const r of result.refusals) assert.ok(r.reason.length > 20, `${file} #${r.index}: a precise reason (${r.reason})`);
      seen[file] = result.refusals.map((r) => [r.index, r.code]);
    }
    assert.deepEqual(seen, EXPECTED);

    const before = await server.eventCount();
    const notJson = await importEpcisText(maker, '{"type": "EPCISDocument",');
    assert.ok(!notJson.ok);
    assert.deepEqual(notJson.refusals.map((r) => [r.index, r.code]), [[-1, 'EPCIS_NOT_JSON']]);
    const invalid = await importEpcisText(maker, JSON.stringify({ type: 'EPCISDocument', schemaVersion: '2.0', creationDate: 'yesterday', epcisBody: { eventList: [] } }));
    assert.ok(!invalid.ok);
    assert.equal(invalid.refusals[0].code, 'EPCIS_SCHEMA_INVALID');
    assert.match(invalid.refusals[0].reason, /\/creationDate/);
    assert.equal(await server.eventCount(), before);
  });

  it('round trip: an exported commission + pack + ship, adapted to another batch and partner, is imported with the same state', async () => {
    const wholesaler = await net.join('wholesaler');
    const { gtin, batch } = await productAndBatch(maker);
    const { serials } = await commissionPacks(maker, batch, ['RT1', 'RT2']);
    const packs = serials.map((s) => `sgtin:${gtin}.${s}`);
    const sscc = newSscc();
    await pack(maker, { id: sscc, kind: 'case' }, packs, { newContainer: true });
    await ship(maker, wholesaler.participantId, [sscc]);
    await maker.signIn();
    const res = await fetch(`${server.url}/epcis/export?batch=${encodeURIComponent(batch)}`, { headers: { authorization: `Bearer ${maker.graphql.token ?? ''}` } });
    assert.equal(res.status, 200);
    const exported = (await res.json()) as { epcisBody: { eventList: Array<Record<string, unknown>> } } & Record<string, unknown>;
    const wanted = exported.epcisBody.eventList.filter((e) => ['custody.commissioned', 'custody.packed', 'custody.shipped'].includes(String(e['pt:type'])));
    assert.equal(wanted.length, 3);

    // The partner: another manufacturer with its own batch, shipping to its own wholesaler.
    const partner = await net.join('manufacturer');
    const partnerWholesaler = await net.join('wholesaler');
    const theirs = await productAndBatch(partner);
    const lot = theirs.batch.slice(theirs.batch.indexOf('/') + 1);
    const theirSscc = newSscc();
    // The export carries the lot of the commissioned packs as ILMD (cbvmda:lotNumber); the partner's lot replaces it.
    const commissioning = wanted.find((e) => e['pt:type'] === 'custody.commissioned') as Record<string, unknown>;
    assert.deepEqual(commissioning.ilmd, { 'cbvmda:lotNumber': batch.slice(batch.indexOf('/') + 1) });
    commissioning.ilmd = { 'cbvmda:lotNumber': lot };
    const adapted = JSON.stringify({ ...exported, epcisBody: { eventList: wanted } })
      .replaceAll(`/01/${gtin}/`, `/01/${theirs.gtin}/`)
      .replaceAll(`/00/${sscc.slice(5)}`, `/00/${theirSscc.slice(5)}`)
      .replaceAll((await maker.me()).gln, (await partner.me()).gln)
      .replaceAll((await wholesaler.me()).gln, (await partnerWholesaler.me()).gln);

    const before = await server.eventCount();
    const dry = await importEpcisText(partner, adapted, { dryRun: true });
    assert.ok(dry.ok, JSON.stringify(dry));
    assert.equal(await server.eventCount(), before, 'a dry run submits nothing');
    const result = await importEpcisText(partner, adapted);
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(result.byType, { 'custody.commissioned': 1, 'custody.packed': 1, 'custody.shipped': 1 });
    assert.equal(await server.eventCount(), before + 3);

    const theirPacks = packs.map((p) => p.replace(gtin, theirs.gtin));
    for (const [i, p] of packs.entries()) {
      const original = await item(maker, p);
      const imported = await item(partner, theirPacks[i]);
      assert.equal(imported?.state, original?.state);
      assert.equal(imported?.parentId, theirSscc);
      assert.equal(imported?.batchId, theirs.batch);
      assert.equal(imported?.custodianId, partner.participantId);
    }
    const container = await item(partner, theirSscc);
    assert.ok(container?.inTransitOn, 'the imported shipment is in transit');
    const sent = await shipment(partner, container.inTransitOn);
    assert.equal(sent?.toId, partnerWholesaler.participantId);
    assert.deepEqual(sent?.items, [theirSscc]);

    // The same document again: the packs exist, nothing stored.
    const again = await importEpcisText(partner, adapted);
    assert.ok(!again.ok);
    assert.deepEqual(again.refusals.map((r) => [r.index, r.code]), [[0, 'EPCIS_INCONSISTENT'], [1, 'EPCIS_INCONSISTENT'], [2, 'EPCIS_INCONSISTENT']]);
    assert.match(again.refusals[0].reason, /is already commissioned/);
    assert.match(again.refusals[2].reason, /is in transit/);
    assert.equal(await server.eventCount(), before + 3);

    // The partner's wholesaler receives with its own EPCIS receiving event.
    const receiving = JSON.stringify({
      ...exported,
      epcisBody: { eventList: [{ type: 'ObjectEvent', eventTime: new Date().toISOString(), eventTimeZoneOffset: '+00:00', epcList: [`https://id.gs1.org/00/${theirSscc.slice(5)}`], action: 'OBSERVE', bizStep: 'receiving' }] },
    });
    const received = await importEpcisText(partnerWholesaler, receiving);
    assert.ok(received.ok, JSON.stringify(received));
    assert.equal((await shipment(partner, container.inTransitOn))?.state, 'received');
    assert.equal((await item(partnerWholesaler, theirPacks[0]))?.custodianId, partnerWholesaler.participantId);
  });

  it('cli epcis import: refusals by index with exit 1, a dry run summary, bad usage exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'epcis-import-'));
    const keyPath = join(dir, 'maker.key.json');
    writeKeyFile(keyPath, maker.key);
    const before = await server.eventCount();
    const refused = await runCli(['epcis', 'import', join(EXAMPLES, 'transaction_event_all_possible_fields.jsonld'), '--server', server.url, '--key', keyPath], server.environment.env);
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stdout, /^#0 TransactionEvent shipping: EPCIS_UNSUPPORTED_EVENT: /m);
    assert.match(refused.stderr, /EPCIS_REFUSED: 1 refusal\(s\); nothing was submitted/);
    assert.equal(await server.eventCount(), before);

    const { gtin, batch } = await productAndBatch(maker);
    const doc = join(dir, 'commission.jsonld');
    writeFileSync(doc, JSON.stringify({
      '@context': ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld'], type: 'EPCISDocument', schemaVersion: '2.0', creationDate: new Date().toISOString(),
      epcisBody: { eventList: [{ type: 'ObjectEvent', eventTime: new Date().toISOString(), eventTimeZoneOffset: '+00:00', action: 'ADD', bizStep: 'commissioning', epcList: [`https://id.gs1.org/01/${gtin}/21/CLI1`], ilmd: { 'cbvmda:lotNumber': batch.slice(batch.indexOf('/') + 1) } }] },
    }));
    const dry = await runCli(['epcis', 'import', doc, '--server', server.url, '--key', keyPath, '--dry-run'], server.environment.env);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /1 EPCIS events → 1 PharmaTrace events \(1 custody\.commissioned\); dry run: nothing submitted/);
    const done = await runCli(['epcis', 'import', doc, '--server', server.url, '--key', keyPath, '--json'], server.environment.env);
    assert.equal(done.code, 0, done.stderr);
    assert.equal((JSON.parse(done.stdout) as { pharmaTraceEvents: number }).pharmaTraceEvents, 1);
    assert.equal((await item(maker, `sgtin:${gtin}.CLI1`))?.custodianId, maker.participantId);

    assert.equal((await runCli(['epcis', 'import', '--server', server.url], server.environment.env)).code, 2);
    assert.equal((await runCli(['epcis', 'import', doc, '--server', server.url, '--key', keyPath, '--bogus'], server.environment.env)).code, 2);
    assert.match((await runCli(['epcis', '--help'], server.environment.env)).stdout, /epcis import DOC --server URL --key FILE/);
  });
});
