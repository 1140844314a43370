// EPCIS 2.0 export and the REST query subset (issue 11, docs/epcis.md), end to end over HTTP: a small network
// commissions, packs, ships, receives, logs temperatures, dispenses and destroys; every document the API answers
// validates against the official EPCIS 2.0 JSON Schema, and every eventID is the CBV 2.0 event hash ID of its event.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { epcisEventHashId } from '@pharmatrace/epcis/event-hash-id';
import { validateEpcisDocument } from '@pharmatrace/epcis/epcis-schema';
import { EventPipeline } from '@pharmatrace/ledger';
import { DEMO_REGULATOR, demoGenesis, keyFor, seedDemoCustody, seedDemoDispensing, seedDemoParticipants } from '@pharmatrace/demo-network';
import { packAssetId } from '@pharmatrace/custody/custody-events';
import {
  commissionPacks, dispense, issuePrescription, pack, patientPseudonym, PharmaTraceClient, receive, recordReadings, reportDisposal, ship, unpack,
} from '@pharmatrace/sdk';
import { startTestServer, TestServer } from './support/test-server';
import { createTestNetwork, TestNetwork } from './support/test-network';
import { newSscc, productAndBatch } from './support/custody-fixture';
import { readingsAfter, registerLogger, taken } from './support/cold-chain-fixture';

type EpcisEvent = Record<string, unknown> & { eventID: string; bizStep?: string; disposition?: string; 'pt:hash': string };
interface Answer {
  status: number;
  link: string | null;
  body: Record<string, unknown>;
}

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function get(server: TestServer, path: string, client?: PharmaTraceClient): Promise<Answer> {
  if (client && !client.graphql.token) await client.signIn();
  const res = await fetch(`${server.url}${path}`, { headers: client ? { authorization: `Bearer ${client.graphql.token ?? ''}` } : {} });
  return { status: res.status, link: res.headers.get('link'), body: (await res.json()) as Record<string, unknown> };
}

/** The events of an EPCISDocument or EPCISQueryDocument, after checking it against the schema and every eventID. */
function checkedEvents(doc: Record<string, unknown>): EpcisEvent[] {
  const verdict = validateEpcisDocument(doc);
  assert.deepEqual(verdict, { ok: true }, JSON.stringify(verdict).slice(0, 2000));
  const body = doc.epcisBody as { eventList?: EpcisEvent[]; queryResults?: { resultsBody: { eventList: EpcisEvent[] } } };
  const events = body.eventList ?? body.queryResults?.resultsBody.eventList ?? [];
  for (const e of events) assert.equal(e.eventID, epcisEventHashId(e, doc['@context']), `eventID of ${e['pt:hash']}`);
  return events;
}

const codeOf = (a: Answer): string => (a.body.errors as Array<{ extensions: { code: string } }>)[0].extensions.code;

describe('EPCIS 2.0 export and query', () => {
  let server: TestServer;
  let net: TestNetwork;
  let maker: PharmaTraceClient;
  let wholesaler: PharmaTraceClient;
  let pharmacy: PharmaTraceClient;
  let otherPharmacy: PharmaTraceClient;
  let batch: string;
  let packs: string[];
  let pallet: string;
  const hashes: Record<string, string> = {};
  const patient = patientPseudonym(randomBytes(32), 'AB-123456-C');
  let prescriptionId: string;
  const started = new Date(Date.now() - 1000).toISOString();

  before(async () => {
    server = await startTestServer();
    net = await createTestNetwork(server);
    maker = await net.join('manufacturer');
    wholesaler = await net.join('wholesaler');
    pharmacy = await net.join('pharmacy');
    otherPharmacy = await net.join('pharmacy');
    const dr = await net.join('prescriber');
    const made = await productAndBatch(maker, 100);
    batch = made.batch;
    const { serials } = await commissionPacks(maker, batch, 3);
    packs = serials.map((s) => packAssetId(made.gtin, s));
    pallet = newSscc();
    await pack(maker, { id: pallet, kind: 'pallet' }, packs, { newContainer: true });
    const logger = await registerLogger(maker);
    const readingsFrom = Date.now();
    await recordReadings(logger, pallet, await taken(readingsAfter(readingsFrom, [4.5, 5, 5.5])));
    const first = await ship(maker, wholesaler.participantId, [pallet]);
    hashes.toWholesaler = first.receipt.hash;
    await receive(wholesaler, first.shipment);
    const second = await ship(wholesaler, pharmacy.participantId, [pallet]);
    hashes.toPharmacy = second.receipt.hash;
    await receive(pharmacy, second.shipment);
    await unpack(pharmacy, pallet, packs);
    prescriptionId = (await issuePrescription(dr, { patient, product: { gtin: made.gtin }, quantity: 1, refills: 0, validFrom: day(0), validUntil: day(30), controlledClass: 'none' })).id;
    hashes.dispensed = (await dispense(pharmacy, { prescription: prescriptionId, patient, scans: [`01${made.gtin}21${serials[0]}`] })).hash;
    hashes.destroyed = (await reportDisposal(pharmacy, 'destroyed', [packs[1]], 'dropped and broken')).hash;
  });
  after(async () => {
    await server?.close();
  });

  it('exports a batch as an EPCISDocument that validates, with CBV bizSteps and dispositions as mapped', async () => {
    const a = await get(server, `/epcis/export?batch=${encodeURIComponent(batch)}`, net.regulator);
    assert.equal(a.status, 200);
    assert.equal(a.body.type, 'EPCISDocument');
    const events = checkedEvents(a.body);
    const steps = new Set(events.map((e) => `${e.bizStep ?? '-'}/${e.disposition ?? '-'}`));
    for (const s of ['commissioning/active', 'packing/in_progress', 'shipping/in_transit', 'receiving/active', 'unpacking/in_progress', 'dispensing/dispensed', 'destroying/destroyed']) {
      assert.ok(steps.has(s), `${s} in ${[...steps].join(', ')}`);
    }
    const text = JSON.stringify(a.body);
    assert.ok(!text.includes(prescriptionId) && !text.includes(patient), 'no prescription id or patient pseudonym is exported');
    const shipping = events.find((e) => e['pt:hash'] === hashes.toPharmacy);
    assert.ok(shipping?.sourceList && shipping.destinationList, 'shipping names source and destination');
  });

  it('exports one item with its containers’ events, temperature readings as sensor reports in CEL', async () => {
    const a = await get(server, `/epcis/export?item=${encodeURIComponent(packs[0])}`, net.regulator);
    const events = checkedEvents(a.body);
    const sensor = events.find((e) => e.bizStep === 'sensor_reporting');
    const reports = (sensor?.sensorElementList as Array<{ sensorReport: Array<{ type: string; uom: string; value: number }> }>)[0].sensorReport;
    assert.deepEqual(reports.map((r) => [r.type, r.uom, r.value]), [['Temperature', 'CEL', 4.5], ['Temperature', 'CEL', 5], ['Temperature', 'CEL', 5.5]]);
    assert.ok(events.some((e) => e.type === 'AggregationEvent' && e.bizStep === 'packing'));
  });

  it('shows each participant only what the access model lets it read', async () => {
    const mine = checkedEvents((await get(server, `/epcis/export?item=${encodeURIComponent(packs[0])}`, maker)).body).map((e) => e['pt:hash']);
    assert.ok(mine.includes(hashes.toWholesaler), 'the maker sees its own shipment');
    assert.ok(!mine.includes(hashes.toPharmacy) && !mine.includes(hashes.dispensed), 'never what happened after its hand-over');
    const theirs = checkedEvents((await get(server, `/epcis/export?item=${encodeURIComponent(packs[0])}`, pharmacy)).body);
    assert.ok(theirs.some((e) => e.bizStep === 'commissioning'), 'the pharmacy sees the provenance');
    assert.ok(theirs.some((e) => e['pt:hash'] === hashes.dispensed));
    const everything = checkedEvents((await get(server, '/epcis/export', maker)).body).map((e) => e['pt:hash']);
    assert.ok(!everything.includes(hashes.toPharmacy) && !everything.includes(hashes.destroyed));
    const stranger = await get(server, `/epcis/export?item=${encodeURIComponent(packs[0])}`, otherPharmacy);
    assert.deepEqual([stranger.status, codeOf(stranger)], [404, 'UNKNOWN_ITEM']);
    const query = await get(server, `/epcis/events?MATCH_epc=${encodeURIComponent(packs[0])}`, otherPharmacy);
    assert.deepEqual(checkedEvents(query.body), []);
    const anonymous = await get(server, '/epcis/events');
    assert.deepEqual([anonymous.status, codeOf(anonymous)], [401, 'UNAUTHENTICATED']);
  });

  it('pages GET /epcis/events with Link rel="next" and filters by bizStep, EPC and time', async () => {
    const filter = `GE_eventTime=${encodeURIComponent(started)}`;
    const all = checkedEvents((await get(server, `/epcis/events?${filter}&perPage=1000`, net.regulator)).body).map((e) => e.eventID);
    const paged: string[] = [];
    let next: string | null = `/epcis/events?${filter}&perPage=4`;
    let pages = 0;
    while (next) {
      const a = await get(server, next, net.regulator);
      assert.equal(a.status, 200);
      assert.equal(a.body.type, 'EPCISQueryDocument');
      const events = checkedEvents(a.body);
      assert.ok(events.length <= 4);
      paged.push(...events.map((e) => e.eventID));
      next = a.link ? (/^<([^>]+)>; rel="next"$/.exec(a.link)?.[1] ?? null) : null;
      assert.ok(++pages < 50);
    }
    assert.ok(pages > 1);
    assert.deepEqual(paged, all);
    const shipping = checkedEvents((await get(server, `/epcis/events?${filter}&EQ_bizStep=shipping`, net.regulator)).body);
    assert.deepEqual(shipping.map((e) => e['pt:hash']), [hashes.toWholesaler, hashes.toPharmacy]);
    const byEpc = checkedEvents((await get(server, `/epcis/events?MATCH_epc=${encodeURIComponent(`https://id.gs1.org/00/${pallet.slice(5)}`)}&EQ_bizStep=https://ref.gs1.org/cbv/BizStep-receiving`, net.regulator)).body);
    assert.equal(byEpc.length, 2);
    const makerAll = checkedEvents((await get(server, `/epcis/events?${filter}&perPage=1000`, maker)).body).map((e) => e.eventID);
    const makerPaged: string[] = [];
    for (let url: string | null = `/epcis/events?${filter}&perPage=2`; url;) {
      const a = await get(server, url, maker);
      makerPaged.push(...checkedEvents(a.body).map((e) => e.eventID));
      url = a.link ? (/^<([^>]+)>; rel="next"$/.exec(a.link)?.[1] ?? null) : null;
    }
    assert.deepEqual(makerPaged, makerAll, 'a participant pages through exactly what it may see');
    assert.ok(makerAll.length < all.length);
    const ranged = await get(server, `/epcis/export?from=${encodeURIComponent(started)}&to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`, net.regulator);
    assert.deepEqual(checkedEvents(ranged.body).map((e) => e.eventID), all);
    const future = checkedEvents((await get(server, `/epcis/events?GE_eventTime=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}`, net.regulator)).body);
    assert.deepEqual(future, []);
  });

  it('refuses bad parameters with stable codes', async () => {
    for (const [path, code] of [
      ['/epcis/events?perPage=0', 'EPCIS_INVALID_PARAMETER'],
      ['/epcis/events?perPage=1001', 'EPCIS_INVALID_PARAMETER'],
      ['/epcis/events?GE_eventTime=yesterday', 'EPCIS_INVALID_PARAMETER'],
      ['/epcis/events?EQ_bizStep=Ship%21', 'EPCIS_INVALID_PARAMETER'],
      ['/epcis/events?MATCH_epc=urn:epc:id:sgtin:0614141.107346.2018', 'EPCIS_INVALID_PARAMETER'],
      ['/epcis/events?EQ_readPoint=x', 'EPCIS_INVALID_PARAMETER'],
      ['/epcis/events?nextPageToken=garbage', 'EPCIS_INVALID_PAGE_TOKEN'],
      ['/epcis/export?item=x&batch=y', 'EPCIS_INVALID_PARAMETER'],
      ['/epcis/export?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'EPCIS_INVALID_PARAMETER'],
    ] as const) {
      const a = await get(server, path, maker);
      assert.deepEqual([a.status, codeOf(a)], [400, code], path);
    }
  });
});

describe('EPCIS 2.0 export of the demo network', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server?.close();
  });

  it('exports every demo event a regulator may read as valid EPCIS 2.0', async () => {
    const keysDir = join(server.environment.env.PHARMATRACE_DATA_DIR, 'demo-keys');
    await server.api.get(EventPipeline).submitOne(demoGenesis(keysDir));
    await seedDemoParticipants(server.url, keysDir);
    const custody = await seedDemoCustody(server.url, keysDir);
    assert.ok(custody);
    await seedDemoDispensing(server.url, keysDir, custody);
    const regulator = new PharmaTraceClient(server.url, keyFor(keysDir, DEMO_REGULATOR));
    let next: string | null = '/epcis/export';
    let total = 0;
    while (next) {
      const a = await get(server, next, regulator);
      assert.equal(a.status, 200);
      total += checkedEvents(a.body).length;
      next = a.link ? (/^<([^>]+)>; rel="next"$/.exec(a.link)?.[1] ?? null) : null;
    }
    assert.ok(total > 10, `${total} events exported`);
  });
});
