// EPCIS 2.0 import (issue 11, docs/epcis.md "Import"), end to end against a real server: every GS1 example
// document copied under test/vectors/epcis/examples is imported or refused with a precise reason per event index
// (nothing stored on refusal), and a round trip: a network's export, adapted to another manufacturer's batch and
// partner GLNs, imported as a partner would (commission + pack + ship, then receive) leaves the same state; so does an
// exported ship + void_shipping + destroying + ship and the recipient's refusal. Decommissions (EU FMD sample, locked)
// import for a wholesaler; dispensing and quarantine are refused with their reason, storing nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commissionPacks, importEpcisText, item, pack, PharmaTraceClient, receive, refuse, reportDisposal, ship, shipment, voidShipment, writeKeyFile } from '@pharmatrace/sdk';
import { startTestServer, TestServer } from './support/test-server';
import { createTestNetwork, TestNetwork } from './support/test-network';
import { newSscc, productAndBatch } from './support/custody-fixture';
import { runCli } from './support/run-cli';

const EXAMPLES = join(__dirname, 'vectors', 'epcis', 'examples');

/** An EPCISDocument (with the `pt` prefix of PharmaTrace's extensions) of these events, as JSON text. */
const epcisText = (...eventList: Array<Record<string, unknown>>): string =>
  JSON.stringify({
    '@context': ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld', { pt: 'https://pharmatrace.example/epcis/' }],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: new Date().toISOString(),
    epcisBody: { eventList },
  });
/** An ObjectEvent OBSERVE of these asset ids (`sgtin:<gtin>.<serial>` as Digital Links). */
const observe = (bizStep: string, ids: string[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'ObjectEvent',
  eventTime: new Date().toISOString(),
  eventTimeZoneOffset: '+00:00',
  epcList: ids.map((id) => id.replace(/^sgtin:(\d{14})\.(.+)$/, 'https://id.gs1.org/01/$1/21/$2').replace(/^sscc:/, 'https://id.gs1.org/00/')),
  action: 'OBSERVE',
  bizStep,
  ...extra,
});

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

  it('round trip: an exported ship + void_shipping + destroying + ship, and the recipient\'s refusal, are imported with the same state', async () => {
    const wholesaler = await net.join('wholesaler');
    const { gtin, batch } = await productAndBatch(maker);
    await commissionPacks(maker, batch, ['V1', 'V2']);
    const [v1, v2] = [`sgtin:${gtin}.V1`, `sgtin:${gtin}.V2`];
    const first = await ship(maker, wholesaler.participantId, [v1]);
    await voidShipment(maker, first.shipment, 'wrong address');
    await reportDisposal(maker, 'destroyed', [v1], 'dropped on the dock');
    const second = await ship(maker, wholesaler.participantId, [v2]);
    await refuse(wholesaler, second.shipment, 'seal broken');
    await maker.signIn();
    const res = await fetch(`${server.url}/epcis/export?batch=${encodeURIComponent(batch)}`, { headers: { authorization: `Bearer ${maker.graphql.token ?? ''}` } });
    assert.equal(res.status, 200);
    const exported = (await res.json()) as { epcisBody: { eventList: Array<Record<string, unknown>> } } & Record<string, unknown>;
    const types = exported.epcisBody.eventList.map((e) => String(e['pt:type'])).filter((t) => t !== 'catalog.batch_registered');
    assert.deepEqual(types, ['custody.commissioned', 'custody.shipped', 'custody.shipping_voided', 'custody.destroyed', 'custody.shipped', 'custody.refused']);

    const partner = await net.join('manufacturer');
    const partnerWholesaler = await net.join('wholesaler');
    const theirs = await productAndBatch(partner);
    const commissioning = exported.epcisBody.eventList.find((e) => e['pt:type'] === 'custody.commissioned') as Record<string, unknown>;
    commissioning.ilmd = { 'cbvmda:lotNumber': theirs.batch.slice(theirs.batch.indexOf('/') + 1) };
    const makerGln = (await maker.me()).gln;
    const wholesalerGln = (await wholesaler.me()).gln;
    const partnerGln = (await partner.me()).gln;
    const partnerWholesalerGln = (await partnerWholesaler.me()).gln;
    const adapt = (events: Array<Record<string, unknown>>): string =>
      JSON.stringify({ ...exported, epcisBody: { eventList: events } })
        .replaceAll(`/01/${gtin}/`, `/01/${theirs.gtin}/`)
        .replaceAll(makerGln, partnerGln)
        .replaceAll(wholesalerGln, partnerWholesalerGln);
    const senderTypes = ['custody.commissioned', 'custody.shipped', 'custody.shipping_voided', 'custody.destroyed'];
    const senders = exported.epcisBody.eventList.filter((e) => senderTypes.includes(String(e['pt:type'])));
    const refusal = exported.epcisBody.eventList.filter((e) => e['pt:type'] === 'custody.refused');

    const before = await server.eventCount();
    const sent = await importEpcisText(partner, adapt(senders));
    assert.ok(sent.ok, JSON.stringify(sent));
    assert.deepEqual(sent.byType, { 'custody.commissioned': 1, 'custody.shipped': 2, 'custody.shipping_voided': 1, 'custody.destroyed': 1 });
    assert.equal(await server.eventCount(), before + 5);
    // The refusal is the recipient's to sign: the sender importing it is refused, nothing stored.
    const notTheirs = await importEpcisText(partner, adapt(refusal));
    assert.ok(!notTheirs.ok);
    assert.deepEqual(notTheirs.refusals.map((r) => [r.index, r.code]), [[0, 'EPCIS_INCONSISTENT']]);
    const refused = await importEpcisText(partnerWholesaler, adapt(refusal));
    assert.ok(refused.ok, JSON.stringify(refused));
    assert.deepEqual(refused.byType, { 'custody.refused': 1 });
    assert.equal(await server.eventCount(), before + 6);

    const [t1, t2] = [v1, v2].map((p) => p.replace(gtin, theirs.gtin));
    for (const [original, imported] of [[v1, t1], [v2, t2]]) {
      const o = await item(maker, original);
      const i = await item(partner, imported);
      assert.equal(i?.state, o?.state, imported);
      assert.equal(i?.inTransitOn, null);
      assert.equal(i?.custodianId, partner.participantId);
    }
    assert.equal((await item(partner, t1))?.state, 'destroyed');
    assert.equal((await item(partner, t2))?.state, 'active');
    // The same document again: the packs exist, and nothing more happens to a destroyed one.
    const again = await importEpcisText(partner, adapt(senders));
    assert.ok(!again.ok);
    assert.equal(again.refusals[0].code, 'EPCIS_INCONSISTENT');
    assert.equal(await server.eventCount(), before + 6);
  });

  it('a ledger shipment voided by its sender, then destroyed; the recipient voiding and destroying in transit are refused, nothing stored', async () => {
    const wholesaler = await net.join('wholesaler');
    const { gtin, batch } = await productAndBatch(maker);
    await commissionPacks(maker, batch, ['W1', 'W2']);
    const packs = [`sgtin:${gtin}.W1`, `sgtin:${gtin}.W2`];
    const sent = await ship(maker, wholesaler.participantId, packs);

    const before = await server.eventCount();
    const byRecipient = await importEpcisText(wholesaler, epcisText(observe('void_shipping', packs)));
    assert.ok(!byRecipient.ok);
    assert.deepEqual(byRecipient.refusals.map((r) => [r.index, r.code]), [[0, 'EPCIS_NOT_YOURS']]);
    assert.match(byRecipient.refusals[0].reason, /only its sender may void it/);
    const inTransit = await importEpcisText(maker, epcisText({ ...observe('destroying', packs), action: 'DELETE', disposition: 'destroyed' }));
    assert.ok(!inTransit.ok);
    assert.deepEqual(inTransit.refusals.map((r) => [r.index, r.code]), [[0, 'EPCIS_INCONSISTENT']]);
    const part = await importEpcisText(maker, epcisText(observe('void_shipping', [packs[0]])));
    assert.ok(!part.ok);
    assert.match(part.refusals[0].reason, /must name exactly the items of shipment:/);
    assert.equal(await server.eventCount(), before);

    const done = await importEpcisText(maker, epcisText(observe('void_shipping', packs, { 'pt:reason': 'order cancelled' }), { ...observe('destroying', [packs[1]]), action: 'DELETE', disposition: 'destroyed' }));
    assert.ok(done.ok, JSON.stringify(done));
    assert.deepEqual(done.byType, { 'custody.shipping_voided': 1, 'custody.destroyed': 1 });
    assert.equal((await shipment(maker, sent.shipment))?.state, 'voided');
    assert.deepEqual(await item(maker, packs[0]).then((i) => [i?.state, i?.custodianId, i?.inTransitOn]), ['active', maker.participantId, null]);
    assert.equal((await item(maker, packs[1]))?.state, 'destroyed');
    assert.equal(await server.eventCount(), before + 2);
  });

  it('decommissions (sample; locked as the export writes it) by a wholesaler; a manufacturer, dispensing and quarantine are refused, nothing stored', async () => {
    const wholesaler = await net.join('wholesaler');
    const { gtin, batch } = await productAndBatch(maker);
    await commissionPacks(maker, batch, ['S1', 'S2', 'S3']);
    const [s1, s2, s3] = ['S1', 'S2', 'S3'].map((s) => `sgtin:${gtin}.${s}`);
    const before = await server.eventCount();
    const byMaker = await importEpcisText(maker, epcisText(observe('decommissioning', [s1], { disposition: 'inactive', 'pt:decommission': 'sample' })));
    assert.ok(!byMaker.ok);
    assert.deepEqual(byMaker.refusals.map((r) => [r.index, r.code]), [[0, 'EPCIS_FORBIDDEN_ROLE']]);
    assert.equal(await server.eventCount(), before);

    await receive(wholesaler, (await ship(maker, wholesaler.participantId, [s1, s2, s3])).shipment);
    const mid = await server.eventCount();
    const cannot = await importEpcisText(
      wholesaler,
      epcisText(
        observe('decommissioning', [s3], { disposition: 'inactive' }),
        observe('holding', [s3], { disposition: 'non_sellable_other' }),
        observe('dispensing', [s3], { disposition: 'dispensed' }),
      ),
    );
    assert.ok(!cannot.ok);
    assert.deepEqual(cannot.refusals.map((r) => [r.index, r.code]), [[0, 'EPCIS_UNSUPPORTED_EVENT'], [1, 'EPCIS_UNSUPPORTED_EVENT'], [2, 'EPCIS_UNSUPPORTED_EVENT']]);
    assert.match(cannot.refusals[0].reason, /pt:decommission/);
    assert.match(cannot.refusals[1].reason, /cold-chain evaluation/);
    assert.match(cannot.refusals[2].reason, /prescription/);
    assert.equal(await server.eventCount(), mid);
    assert.equal((await item(wholesaler, s3))?.state, 'active');

    const done = await importEpcisText(
      wholesaler,
      epcisText(
        observe('decommissioning', [s1], { disposition: 'inactive', 'pt:decommission': 'sample' }),
        observe('holding', [s2], { disposition: 'non_sellable_other', 'pt:decommission': 'locked', 'pt:reason': 'investigation 42' }),
      ),
    );
    assert.ok(done.ok, JSON.stringify(done));
    assert.deepEqual(done.byType, { 'dispensing.decommissioned': 2 });
    assert.equal((await item(wholesaler, s1))?.state, 'sample');
    assert.equal((await item(wholesaler, s2))?.state, 'locked');
    assert.equal((await item(wholesaler, s3))?.state, 'active');
    assert.equal(await server.eventCount(), mid + 2);
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
