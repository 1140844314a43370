// docs/access-model.md, cell by cell: every query × every role × own / foreign object, against the
// running server. A pack travels manufacturer → wholesaler → pharmacy inside a case; afterwards the
// pharmacy acts on it. Each role must see exactly its provenance window, and what it may not see must
// answer exactly like an object that does not exist.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { commissionPacks, pack, PharmaTraceClient, receive, recordReadings, ship, unpack } from '@pharmatrace/sdk';
import { packAssetId } from '@pharmatrace/custody/custody-events';
import { startTestServer, TestServer, sealEverything } from './support/test-server';
import { createTestNetwork } from './support/test-network';
import { newSscc, productAndBatch } from './support/custody-fixture';

type Role = 'regulator' | 'supplier' | 'manufacturer' | 'wholesaler' | 'pharmacy' | 'otherPharmacy' | 'prescriber' | 'otherManufacturer';
const ROLES: Role[] = ['regulator', 'supplier', 'manufacturer', 'wholesaler', 'pharmacy', 'otherPharmacy', 'prescriber', 'otherManufacturer'];

interface Answer {
  data: unknown;
  code: string | null;
  message: string | null;
}

async function ask(client: PharmaTraceClient, query: string, variables: Record<string, unknown> = {}): Promise<Answer> {
  try {
    return { data: await client.query(query, variables), code: null, message: null };
  } catch (e) {
    const err = e as { code?: string; message: string };
    if (!err.code) throw e;
    return { data: null, code: err.code, message: err.message };
  }
}

async function askAnonymously(url: string, query: string, variables: Record<string, unknown> = {}): Promise<Answer> {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  const err = body.errors?.[0];
  return { data: err ? null : body.data, code: err?.extensions?.code ?? null, message: err?.message ?? null };
}

/** Replaces the one id in an answer, so that a hidden object's answer can be compared with a missing one's. */
const normalise = (a: Answer, id: string, missing: string): string => JSON.stringify(a).split(missing).join(id);

describe('access model: who may read what', () => {
  let server: TestServer;
  const as = {} as Record<Role, PharmaTraceClient>;
  let packA: string;
  let packC: string;
  let caseK: string;
  let shipmentToWholesaler: string;
  let shipmentToPharmacy: string;
  const hashes = {} as Record<'commissioned' | 'packed' | 'shippedToWholesaler' | 'receivedByWholesaler' | 'shippedToPharmacy' | 'receivedByPharmacy' | 'unpackedByPharmacy', string>;
  const missingPack = 'sgtin:09506000134352.DOESNOTEXIST';
  const missingShipment = 'shipment:00000000-0000-7000-8000-000000000000';

  before(async () => {
    server = await startTestServer();
    const network = await createTestNetwork(server);
    as.regulator = network.regulator;
    as.supplier = await network.join('supplier');
    as.manufacturer = await network.join('manufacturer');
    as.otherManufacturer = await network.join('manufacturer');
    as.wholesaler = await network.join('wholesaler');
    as.pharmacy = await network.join('pharmacy');
    as.otherPharmacy = await network.join('pharmacy');
    as.prescriber = await network.join('prescriber');

    const { gtin, batch } = await productAndBatch(as.manufacturer, 10);
    const commissioned = await commissionPacks(as.manufacturer, batch, 3);
    [packA, , packC] = commissioned.serials.map((s) => packAssetId(gtin, s));
    hashes.commissioned = commissioned.receipts[0].hash;
    caseK = newSscc();
    hashes.packed = (await pack(as.manufacturer, { id: caseK, kind: 'case' }, [packA, packAssetId(gtin, commissioned.serials[1])], { newContainer: true })).hash;
    const toWholesaler = await ship(as.manufacturer, as.wholesaler.participantId, [caseK]);
    shipmentToWholesaler = toWholesaler.shipment;
    hashes.shippedToWholesaler = toWholesaler.receipt.hash;
    hashes.receivedByWholesaler = (await receive(as.wholesaler, shipmentToWholesaler)).hash;
    // The wholesaler's logger records the case in its store.
    const now = Date.now();
    await recordReadings(as.wholesaler, caseK, [0, 1, 2].map((i) => ({ at: new Date(Math.floor(now / 1000) * 1000 - (3 - i) * 60_000), celsius: 5 })));
    const toPharmacy = await ship(as.wholesaler, as.pharmacy.participantId, [caseK]);
    shipmentToPharmacy = toPharmacy.shipment;
    hashes.shippedToPharmacy = toPharmacy.receipt.hash;
    hashes.receivedByPharmacy = (await receive(as.pharmacy, shipmentToPharmacy)).hash;
    hashes.unpackedByPharmacy = (await unpack(as.pharmacy, caseK, [packA])).hash;
    await sealEverything(server);
  });
  after(() => server.close());

  const HISTORY = 'query($id: String!) { itemHistory(id: $id) { hash type actor } }';
  const ITEM = 'query($id: String!) { item(id: $id) { id custodianId state } }';
  const CONTENTS = 'query($id: String!) { containerContents(id: $id) }';
  const HEAD = 'query($id: String!) { assetHead(assetId: $id) }';
  const HEADS = 'query($ids: [String!]!) { assetHeads(assetIds: $ids) { assetId head } }';
  const EVENT = 'query($h: String!) { ledgerEvent(hash: $h) { seq hash } }';
  const PROVEN = 'query($h: String!) { provenEvent(hash: $h) { seq inclusion { leafIndex } } }';
  const SHIPMENT = 'query($id: String!) { shipment(id: $id) { id fromId toId state } }';
  const TEMPERATURES = 'query($s: String!) { temperatureHistory(subject: $s, first: 100) { readingCount readings { celsius } items { id } evaluations { gtin } } }';

  it('itemHistory: each custodian up to its last event on the item, the holder and the regulator all of it, everyone else UNKNOWN_ITEM as for a missing item', async () => {
    const all = ['commissioned', 'packed', 'shippedToWholesaler', 'receivedByWholesaler', 'shippedToPharmacy', 'receivedByPharmacy', 'unpackedByPharmacy'] as const;
    const expected: Record<Role, ReadonlyArray<(typeof all)[number]> | null> = {
      regulator: all,
      pharmacy: all,
      wholesaler: all.slice(0, 6),
      manufacturer: all.slice(0, 4),
      supplier: null,
      otherPharmacy: null,
      prescriber: null,
      otherManufacturer: null,
    };
    for (const role of ROLES) {
      const answer = await ask(as[role], HISTORY, { id: packA });
      const want = expected[role];
      if (want === null) {
        const missing = await ask(as[role], HISTORY, { id: missingPack });
        assert.equal(answer.code, 'UNKNOWN_ITEM', role);
        assert.equal(normalise(answer, packA, missingPack), normalise(missing, packA, missingPack), `${role}: a hidden item answers exactly like a missing one`);
      } else {
        const seen = (answer.data as { itemHistory: Array<{ hash: string }> }).itemHistory.map((h) => h.hash);
        assert.deepEqual(seen, want.map((k) => hashes[k]), role);
      }
    }
  });

  it('item and containerContents (current state): the holder and the regulator; null / [] for everyone else, as for a missing item', async () => {
    for (const role of ROLES) {
      const sees = role === 'regulator' || role === 'pharmacy';
      const item = (await ask(as[role], ITEM, { id: packA })).data as { item: { custodianId: string } | null };
      assert.equal(item.item?.custodianId ?? null, sees ? as.pharmacy.participantId : null, `item, ${role}`);
      const contents = (await ask(as[role], CONTENTS, { id: caseK })).data as { containerContents: string[] };
      assert.equal(contents.containerContents.length, sees ? 1 : 0, `containerContents, ${role}`);
      // The pack the manufacturer never shipped: its own, and the regulator's.
      const own = (await ask(as[role], ITEM, { id: packC })).data as { item: { custodianId: string } | null };
      assert.equal(own.item !== null, role === 'regulator' || role === 'manufacturer', `item (unshipped), ${role}`);
    }
  });

  it('assetHead and assetHeads: the head only to whoever may see the head event; left out / null otherwise', async () => {
    for (const role of ROLES) {
      const sees = role === 'regulator' || role === 'pharmacy';
      const head = (await ask(as[role], HEAD, { id: packA })).data as { assetHead: string | null };
      assert.equal(head.assetHead, sees ? hashes.unpackedByPharmacy : null, `assetHead, ${role}`);
      const heads = (await ask(as[role], HEADS, { ids: [packA, packC, missingPack] })).data as { assetHeads: Array<{ assetId: string }> };
      const ids = heads.assetHeads.map((h) => h.assetId).sort();
      const want = [...(sees ? [packA] : []), ...(role === 'regulator' || role === 'manufacturer' ? [packC] : [])].sort();
      assert.deepEqual(ids, want, `assetHeads, ${role}`);
    }
  });

  it('ledgerEvent and provenEvent: parties and those whose window holds the event; null for everyone else, as for an unknown hash', async () => {
    const visible: Record<keyof typeof hashes, Role[]> = {
      commissioned: ['regulator', 'manufacturer', 'wholesaler', 'pharmacy'],
      packed: ['regulator', 'manufacturer', 'wholesaler', 'pharmacy'],
      shippedToWholesaler: ['regulator', 'manufacturer', 'wholesaler', 'pharmacy'],
      receivedByWholesaler: ['regulator', 'manufacturer', 'wholesaler', 'pharmacy'],
      shippedToPharmacy: ['regulator', 'wholesaler', 'pharmacy'],
      receivedByPharmacy: ['regulator', 'wholesaler', 'pharmacy'],
      unpackedByPharmacy: ['regulator', 'pharmacy'],
    };
    for (const [name, hash] of Object.entries(hashes) as Array<[keyof typeof hashes, string]>) {
      for (const role of ROLES) {
        const sees = visible[name].includes(role);
        const event = (await ask(as[role], EVENT, { h: hash })).data as { ledgerEvent: { hash: string } | null };
        assert.equal(event.ledgerEvent?.hash ?? null, sees ? hash : null, `ledgerEvent ${name}, ${role}`);
        const proven = (await ask(as[role], PROVEN, { h: hash })).data as { provenEvent: { seq: number } | null };
        assert.equal(proven.provenEvent !== null, sees, `provenEvent ${name}, ${role}`);
      }
    }
    // A participant's own registration: the participant and regulators, nobody else.
    const log = (await ask(as.regulator, '{ eventLog(first: 100, type: "participant.registered") { hash event } }')).data as { eventLog: Array<{ hash: string; event: { data: { participant: { id: string } } } }> };
    const registration = log.eventLog.find((e) => e.event.data.participant.id === as.pharmacy.participantId);
    assert.ok(registration, 'the pharmacy was registered');
    for (const role of ROLES) {
      const event = (await ask(as[role], EVENT, { h: registration.hash })).data as { ledgerEvent: { hash: string } | null };
      assert.equal(event.ledgerEvent !== null, role === 'regulator' || role === 'pharmacy', `registration, ${role}`);
      const head = (await ask(as[role], HEAD, { id: `participant:${as.pharmacy.participantId}` })).data as { assetHead: string | null };
      assert.equal(head.assetHead !== null, role === 'regulator' || role === 'pharmacy', `participant head, ${role}`);
    }
  });

  it('shipment: its sender, its recipient and regulators; null otherwise, as for an unknown id', async () => {
    const parties: Record<string, Role[]> = {
      [shipmentToWholesaler]: ['regulator', 'manufacturer', 'wholesaler'],
      [shipmentToPharmacy]: ['regulator', 'wholesaler', 'pharmacy'],
    };
    for (const [id, roles] of Object.entries(parties)) {
      for (const role of ROLES) {
        const answer = await ask(as[role], SHIPMENT, { id });
        const missing = await ask(as[role], SHIPMENT, { id: missingShipment });
        if (roles.includes(role)) assert.equal((answer.data as { shipment: { id: string } }).shipment.id, id, role);
        else assert.equal(normalise(answer, id, missingShipment), normalise(missing, id, missingShipment), `shipment ${id}, ${role}`);
      }
    }
  });

  it('temperatureHistory: readings within the viewer’s window, verdicts only for the holder; hidden subjects answer as missing ones', async () => {
    for (const role of ROLES) {
      const answer = await ask(as[role], TEMPERATURES, { s: caseK });
      const h = answer.data as { temperatureHistory: { readingCount: number; readings: unknown[]; items: unknown[] } } | null;
      if (role === 'regulator' || role === 'pharmacy' || role === 'wholesaler') {
        assert.equal(h?.temperatureHistory.readings.length, 3, `${role} sees the wholesaler's readings`);
        assert.equal(h?.temperatureHistory.items.length, role === 'wholesaler' ? 0 : 1, `${role}: current state only for the holder`);
      } else if (role === 'manufacturer') {
        assert.equal(h?.temperatureHistory.readings.length, 0, 'the manufacturer handed the case on before the readings');
        assert.equal(h?.temperatureHistory.readingCount, 0, 'and does not learn how many there are');
      } else {
        const missing = await ask(as[role], TEMPERATURES, { s: 'sscc:000000000000000000' });
        assert.equal(answer.code, 'UNKNOWN_ITEM', role);
        assert.equal(normalise(answer, caseK, 'sscc:000000000000000000'), normalise(missing, caseK, 'sscc:000000000000000000'), role);
      }
      const shipment = await ask(as[role], TEMPERATURES, { s: shipmentToPharmacy });
      const seesShipment = ['regulator', 'wholesaler', 'pharmacy'].includes(role);
      assert.equal(shipment.code === null, seesShipment, `shipment readings, ${role}: ${shipment.code}`);
      if (!seesShipment) assert.equal(shipment.code, 'UNKNOWN_SHIPMENT');
    }
  });

  it('the directory and your own record: every signed-in participant; the whole log: regulators only', async () => {
    for (const role of ROLES) {
      const me = (await ask(as[role], '{ me { id } }')).data as { me: { id: string } };
      assert.equal(me.me.id, as[role].participantId);
      const directory = (await ask(as[role], 'query($id: String!) { participant(id: $id) { id role keys { kid } } participants(first: 50) { id } }', { id: as.pharmacy.participantId }))
        .data as { participant: { id: string; keys: unknown[] }; participants: unknown[] };
      assert.equal(directory.participant.id, as.pharmacy.participantId, role);
      assert.ok(directory.participants.length >= ROLES.length, role);
      const log = await ask(as[role], '{ eventLog(first: 5) { seq } }');
      assert.equal(log.code, role === 'regulator' ? null : 'FORBIDDEN_ROLE', `eventLog, ${role}`);
    }
  });

  it('incomingShipments: only one’s own; not a surface for those who hold no goods (prescribers, regulators)', async () => {
    const open = await ship(as.wholesaler, as.otherPharmacy.participantId, [packC]).catch(() => null);
    assert.equal(open, null, 'the wholesaler cannot ship what it does not hold');
    const { gtin, batch } = await productAndBatch(as.manufacturer, 2);
    const { serials } = await commissionPacks(as.manufacturer, batch, 1);
    const { shipment } = await ship(as.manufacturer, as.otherPharmacy.participantId, [packAssetId(gtin, serials[0])]);
    for (const role of ROLES) {
      const answer = await ask(as[role], '{ incomingShipments { id } }');
      if (role === 'prescriber' || role === 'regulator') {
        assert.equal(answer.code, 'FORBIDDEN_ROLE', role);
        continue;
      }
      const ids = (answer.data as { incomingShipments: Array<{ id: string }> }).incomingShipments.map((s) => s.id);
      assert.equal(ids.includes(shipment), role === 'otherPharmacy', role);
    }
  });

  it('anonymous callers: the public ledger surface only', async () => {
    for (const q of ['{ latestBlock { headerHash } }', '{ blocks(first: 5) { headerHash } }', '{ ledgerKeys { kid } }', '{ consistencyProof(fromHeight: 1, toHeight: 1) { hashes } }']) {
      const answer = await askAnonymously(server.url, q);
      assert.equal(answer.code, null, `${q}: ${answer.message}`);
    }
    const wellKnown = await fetch(`${server.url}/.well-known/pharmatrace-ledger`);
    assert.equal(wellKnown.status, 200);
    for (const [q, v] of [
      [HISTORY, { id: packA }],
      [ITEM, { id: packA }],
      [CONTENTS, { id: caseK }],
      [HEAD, { id: packA }],
      [HEADS, { ids: [packA] }],
      [EVENT, { h: hashes.commissioned }],
      [PROVEN, { h: hashes.commissioned }],
      [SHIPMENT, { id: shipmentToPharmacy }],
      [TEMPERATURES, { s: caseK }],
      ['{ me { id } }', {}],
      ['{ participants { id } }', {}],
      ['{ eventLog { seq } }', {}],
    ] as Array<[string, Record<string, unknown>]>) {
      const answer = await askAnonymously(server.url, q, v);
      assert.equal(answer.code, 'UNAUTHENTICATED', q);
    }
  });
});
