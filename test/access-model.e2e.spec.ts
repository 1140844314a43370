// docs/access-model.md, cell by cell: every query × every role × own / foreign object, against the
// running server. A pack travels manufacturer → wholesaler → pharmacy inside a case; afterwards the
// pharmacy acts on it. Each role must see exactly its provenance window, and what it may not see must
// answer exactly like an object that does not exist. Last, the regulator recalls that pack's batch (and a
// manufacturer recalls a batch of its own): recalls, tracing, recall progress, notifications, deliveries and
// webhooks, cell by cell.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  acknowledgeRecall, amendRecall, commissionPacks, initiateRecall, pack, PharmaTraceClient, recallDeliveries, receive, recordReadings, registerWebhook, ship, unpack,
} from '@pharmatrace/sdk';
import { packAssetId } from '@pharmatrace/custody/custody-events';
import { ScanRecorder } from '@pharmatrace/scan-alerts';
import { startTestServer, TestServer, sealEverything, waitFor } from './support/test-server';
import { createTestNetwork, knowingHeads, TestNetwork } from './support/test-network';
import { newSscc, productAndBatch } from './support/custody-fixture';

type Role = 'regulator' | 'supplier' | 'manufacturer' | 'wholesaler' | 'pharmacy' | 'otherPharmacy' | 'prescriber' | 'otherManufacturer' | 'directCustomer';
const ROLES: Role[] = ['regulator', 'supplier', 'manufacturer', 'wholesaler', 'pharmacy', 'otherPharmacy', 'prescriber', 'otherManufacturer'];
/** With the recalls: a second wholesaler the manufacturer itself ships a pack of the batch to (a direct customer that holds goods when it is recalled). */
const RECALL_ROLES: Role[] = [...ROLES, 'directCustomer'];

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
  let network: TestNetwork;
  const as = {} as Record<Role, PharmaTraceClient>;
  let gtinA: string;
  let batchA: string;
  let packA: string;
  let packB: string;
  let packC: string;
  let caseK: string;
  let shipmentToWholesaler: string;
  let shipmentToPharmacy: string;
  const hashes = {} as Record<'commissioned' | 'packed' | 'shippedToWholesaler' | 'receivedByWholesaler' | 'shippedToPharmacy' | 'receivedByPharmacy' | 'unpackedByPharmacy', string>;
  const missingPack = 'sgtin:09506000134352.DOESNOTEXIST';
  const missingShipment = 'shipment:00000000-0000-7000-8000-000000000000';

  before(async () => {
    server = await startTestServer();
    network = await createTestNetwork(server);
    as.regulator = network.regulator;
    as.supplier = await network.join('supplier');
    as.manufacturer = await network.join('manufacturer');
    as.otherManufacturer = await network.join('manufacturer');
    as.wholesaler = await network.join('wholesaler');
    as.pharmacy = await network.join('pharmacy');
    as.otherPharmacy = await network.join('pharmacy');
    as.prescriber = await network.join('prescriber');

    ({ gtin: gtinA, batch: batchA } = await productAndBatch(as.manufacturer, 10));
    const commissioned = await commissionPacks(as.manufacturer, batchA, 3);
    [packA, packB, packC] = commissioned.serials.map((s) => packAssetId(gtinA, s));
    hashes.commissioned = commissioned.receipts[0].hash;
    caseK = newSscc();
    hashes.packed = (await pack(as.manufacturer, { id: caseK, kind: 'case' }, [packA, packB], { newContainer: true })).hash;
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
      directCustomer: null,
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
  describe('recalls, tracing and recall notifications', () => {
    /** The regulator's recall of the batch of packs A, B (at the pharmacy), C (at the manufacturer) and D (at the direct customer). */
    let recall: string;
    let recallHash: string;
    /** A voluntary recall by the other manufacturer of a batch of its own with no packs: its initiator is not a regulator. */
    let voluntary: string;
    let voluntaryBatch: string;
    let packD: string;
    const missingRecall = 'recall:00000000-0000-7000-8000-000000000000';
    const missingBatch = 'batch:09506000134352/DOESNOTEXIST';
    const RECALL_SEES: Role[] = ['regulator', 'manufacturer', 'pharmacy', 'directCustomer'];
    const VOLUNTARY_SEES: Role[] = ['regulator', 'otherManufacturer'];
    const spec = { class: 'II', reason: 'out-of-specification assay result', instructions: 'Quarantine all stock of this batch and return it to the manufacturer.', notifyPatients: false } as const;

    before(async () => {
      as.directCustomer = await network.join('wholesaler');
      const d = await commissionPacks(as.manufacturer, batchA, 1);
      packD = packAssetId(gtinA, d.serials[0]);
      await receive(as.directCustomer, (await ship(as.manufacturer, as.directCustomer.participantId, [packD])).shipment);
      const initiated = await initiateRecall(as.regulator, { ...spec, batches: [batchA] });
      recall = initiated.recall;
      recallHash = initiated.receipt.hash;
      ({ batch: voluntaryBatch } = await productAndBatch(as.otherManufacturer, 2));
      voluntary = (await initiateRecall(as.otherManufacturer, { ...spec, batches: [voluntaryBatch] })).recall;
      // The worker tells every holder: the pharmacy (A, B), the manufacturer (C, and as the batch's maker), the direct customer (D).
      await waitFor('the recall to be fanned out to its three holders', async () => (await recallDeliveries(as.regulator, recall)).length === 3, 30_000);
    });

    const RECALL = 'query($id: String!) { recall(id: $id) { id initiatorId batches { batchId } } }';
    const RECALLS = '{ recalls(first: 100) { id } }';
    const PROGRESS =
      'query($r: String!) { recallProgress(recall: $r) { recallId initiatorId batches totals { total returned neverShipped } byCustodian { participantId name gln total } byCustodianOmitted holders { participantId } holdersOmitted elsewhereHolders { holders acknowledged } } }';
    const FORWARD = 'query($b: String) { traceForward(batch: $b, first: 100) { summary { totalPacks } packs { id custodianId } } }';
    const FORWARD_CSV = 'query($b: String) { traceForwardCsv(batch: $b, first: 100) { csv totalPacks } }';
    const BACKWARD = 'query($p: String!) { traceBackward(pack: $p) { packId state batch { id } custodians { participantId } shipments { id state } temperatureVerdicts { subject } } }';
    const NOTIFICATIONS = '{ myRecallNotifications(first: 100) { id recall reasons affectedPacks } }';
    const DELIVERIES = 'query($r: String!) { recallDeliveries(recall: $r) { participantId reasons } }';
    const WEBHOOK = '{ myWebhook { url } }';
    const REGISTER = 'mutation($u: String!) { registerWebhook(url: $u) { url } }';
    const VERDICT = 'query($f: PackFieldsInput) { verifyPack(fields: $f) { status recall { id class reason instructions } } }';

    it('recall(id), recalls and the recall’s chain: regulators, its initiator, the manufacturers of its batches and notified holders; null / left out for everyone else, as for an unknown recall', async () => {
      for (const role of RECALL_ROLES) {
        for (const [id, sees] of [[recall, RECALL_SEES.includes(role)], [voluntary, VOLUNTARY_SEES.includes(role)]] as Array<[string, boolean]>) {
          const answer = await ask(as[role], RECALL, { id });
          if (sees) {
            assert.equal((answer.data as { recall: { id: string } | null }).recall?.id, id, `recall ${id}, ${role}`);
          } else {
            const missing = await ask(as[role], RECALL, { id: missingRecall });
            assert.deepEqual(answer.data, { recall: null }, `recall ${id}, ${role}`);
            assert.equal(normalise(answer, id, missingRecall), normalise(missing, id, missingRecall), `recall ${id}, ${role}: hidden answers like missing`);
          }
          const head = (await ask(as[role], HEAD, { id })).data as { assetHead: string | null };
          assert.equal(head.assetHead !== null, sees, `recall chain head ${id}, ${role}`);
          const history = await ask(as[role], HISTORY, { id });
          if (sees) assert.equal((history.data as { itemHistory: unknown[] }).itemHistory.length, 1, `recall chain history ${id}, ${role}`);
          else assert.equal(normalise(history, id, missingRecall), normalise(await ask(as[role], HISTORY, { id: missingRecall }), id, missingRecall), `recall chain history ${id}, ${role}`);
        }
        const head = (await ask(as[role], HEAD, { id: recall })).data as { assetHead: string | null };
        assert.equal(head.assetHead, RECALL_SEES.includes(role) ? recallHash : null, `recall head, ${role}`);
        const event = (await ask(as[role], EVENT, { h: recallHash })).data as { ledgerEvent: { hash: string } | null };
        assert.equal(event.ledgerEvent?.hash ?? null, RECALL_SEES.includes(role) ? recallHash : null, `recall.initiated event, ${role}`);
        const listed = ((await ask(as[role], RECALLS)).data as { recalls: Array<{ id: string }> }).recalls.map((r) => r.id);
        const want = [...(RECALL_SEES.includes(role) ? [recall] : []), ...(VOLUNTARY_SEES.includes(role) ? [voluntary] : [])];
        assert.deepEqual(listed, want, `recalls, ${role}`);
      }
    });

    it('the write path: a signer who may not see the recall is refused UNKNOWN_RECALL, exactly as for an unknown recall', async () => {
      const mayAcknowledge: Role[] = ['supplier', 'manufacturer', 'wholesaler', 'pharmacy', 'otherPharmacy', 'otherManufacturer', 'directCustomer'];
      const refusalOf = (p: Promise<unknown>): Promise<Answer> =>
        p.then(
          () => assert.fail('expected a refusal'),
          (e: { code?: string; message: string }) => ({ data: null, code: e.code ?? null, message: e.message }),
        );
      for (const role of mayAcknowledge) {
        for (const [id, sees] of [[recall, RECALL_SEES.includes(role)], [voluntary, VOLUNTARY_SEES.includes(role)]] as Array<[string, boolean]>) {
          if (sees) continue;
          const hidden = await refusalOf(acknowledgeRecall(as[role], id, 1));
          const missing = await refusalOf(acknowledgeRecall(as[role], missingRecall, 1));
          assert.equal(hidden.code, 'UNKNOWN_RECALL', `acknowledge ${id}, ${role}`);
          assert.equal(normalise(hidden, id, missingRecall), normalise(missing, id, missingRecall), `acknowledge ${id}, ${role}`);
        }
      }
      // Steering it: a manufacturer that cannot see the recall learns nothing, even citing the right head;
      // the batch's manufacturer, which sees it, is told who may.
      const hidden = await refusalOf(amendRecall(knowingHeads(as.otherManufacturer, as.regulator), recall, { instructions: 'Destroy it.' }));
      assert.equal(hidden.code, 'UNKNOWN_RECALL', hidden.message ?? '');
      assert.equal(hidden.message, (await refusalOf(acknowledgeRecall(as.otherManufacturer, missingRecall, 1))).message?.split(missingRecall).join(recall));
      assert.equal((await refusalOf(amendRecall(as.otherManufacturer, recall, { instructions: 'Destroy it.' }))).code, 'UNKNOWN_RECALL', 'citing no head');
      assert.equal((await refusalOf(amendRecall(as.manufacturer, recall, { instructions: 'Destroy it.' }))).code, 'FORBIDDEN_ROLE');
    });

    it('the recall on a pack verdict (class, reason, instructions): every caller that may verify a pack', async () => {
      // verifyPack is for custodians and regulators; anyone else reads it on the patient's page (JSON).
      const serial = packA.slice(`sgtin:${gtinA}.`.length);
      for (const role of RECALL_ROLES.filter((r) => r !== 'prescriber')) {
        const answer = await ask(as[role], VERDICT, { f: { gtin: gtinA, serial } });
        const v = answer.data as { verifyPack: { status: string; recall: { id: string; class: string; reason: string; instructions: string } | null } } | null;
        assert.deepEqual(v?.verifyPack.recall, { id: recall, class: spec.class, reason: spec.reason, instructions: spec.instructions }, `${role}: ${answer.message}`);
      }
      const page = await fetch(`${server.url}/01/${gtinA}/21/${encodeURIComponent(serial)}`, { headers: { accept: 'application/json' } });
      const report = (await page.json()) as { recall: { id: string; class: string; reason: string; instructions: string } | null };
      assert.deepEqual(report.recall && { id: report.recall.id, class: report.recall.class, reason: report.recall.reason, instructions: report.recall.instructions }, { id: recall, class: spec.class, reason: spec.reason, instructions: spec.instructions }, 'anonymous, on the patient page');
    });

    it('recallProgress: regulators all of it; the batch’s manufacturer counts, naming only itself and its direct customers; everyone else UNKNOWN_RECALL, as for an unknown recall', async () => {
      type Progress = {
        recallProgress: {
          recallId: string;
          batches: string[];
          totals: { total: number; returned: number; neverShipped: number };
          byCustodianOmitted: number;
          holdersOmitted: number;
          byCustodian: Array<{ participantId: string | null; name: string; gln: string | null; total: number }>;
          holders: Array<{ participantId: string }>;
          elsewhereHolders: { holders: number; acknowledged: number } | null;
        };
      };
      const ids = (xs: Array<{ participantId: string | null }>) => xs.map((x) => x.participantId ?? 'elsewhere').sort();
      const p = (r: Role) => as[r].participantId;
      for (const role of RECALL_ROLES) {
        for (const id of [recall, voluntary]) {
          const answer = await ask(as[role], PROGRESS, { r: id });
          const seesAll = role === 'regulator';
          const seesCounts = (id === recall && role === 'manufacturer') || (id === voluntary && role === 'otherManufacturer');
          if (!seesAll && !seesCounts) {
            const missing = await ask(as[role], PROGRESS, { r: missingRecall });
            assert.equal(answer.code, 'UNKNOWN_RECALL', `recallProgress ${id}, ${role}`);
            assert.equal(normalise(answer, id, missingRecall), normalise(missing, id, missingRecall), `recallProgress ${id}, ${role}: hidden answers like missing`);
            continue;
          }
          const progress = (answer.data as Progress).recallProgress;
          assert.equal(progress.recallId, id);
          if (id === voluntary) {
            assert.deepEqual([progress.batches, progress.totals.total, progress.byCustodian, progress.holders], [[voluntaryBatch], 0, [], []], `voluntary, ${role}`);
            assert.equal(progress.elsewhereHolders === null, seesAll, `voluntary, ${role}`);
            continue;
          }
          assert.deepEqual([progress.batches, progress.totals.total], [[batchA], 4], role);
          // C never left the manufacturer: never shipped, not returned.
          assert.deepEqual([progress.totals.neverShipped, progress.totals.returned, progress.byCustodianOmitted, progress.holdersOmitted], [1, 0, 0, 0], role);
          if (seesAll) {
            assert.deepEqual(ids(progress.byCustodian), [p('directCustomer'), p('manufacturer'), p('pharmacy')].sort());
            assert.deepEqual(ids(progress.holders), [p('directCustomer'), p('manufacturer'), p('pharmacy')].sort());
            assert.equal(progress.elsewhereHolders, null);
          } else {
            // The pharmacy got its packs from the wholesaler, not from the manufacturer: counted, never named.
            assert.deepEqual(ids(progress.byCustodian), [p('directCustomer'), p('manufacturer'), 'elsewhere'].sort());
            assert.deepEqual(progress.byCustodian.find((c) => c.participantId === null), { participantId: null, name: 'elsewhere', gln: null, total: 2 });
            assert.equal(progress.byCustodian.find((c) => c.participantId === p('directCustomer'))?.total, 1, 'D, which it shipped to the direct customer itself');
            assert.deepEqual(ids(progress.holders), [p('directCustomer'), p('manufacturer')].sort());
            // Everyone told but the manufacturer (its direct customer included): no count tells where the
            // "elsewhere" packs sit.
            assert.deepEqual(progress.elsewhereHolders, { holders: 2, acknowledged: 0 });
            assert.equal(JSON.stringify(progress).includes(p('pharmacy')), false, 'the pharmacy is not named');
          }
        }
      }
    });

    it('traceForward and traceForwardCsv: regulators only; FORBIDDEN_ROLE, naming who may, for everyone else (the same for a missing batch)', async () => {
      for (const role of RECALL_ROLES) {
        const forward = await ask(as[role], FORWARD, { b: batchA });
        const csv = await ask(as[role], FORWARD_CSV, { b: batchA });
        if (role === 'regulator') {
          const page = (forward.data as { traceForward: { summary: { totalPacks: number }; packs: Array<{ id: string }> } }).traceForward;
          assert.equal(page.summary.totalPacks, 4);
          assert.deepEqual(page.packs.map((x) => x.id).sort(), [packA, packB, packC, packD].sort());
          const text = (csv.data as { traceForwardCsv: { csv: string; totalPacks: number } }).traceForwardCsv;
          assert.equal(text.totalPacks, 4);
          assert.ok(text.csv.includes(packA), 'the CSV lists the pack');
          continue;
        }
        for (const [name, query, answer] of [['traceForward', FORWARD, forward], ['traceForwardCsv', FORWARD_CSV, csv]] as const) {
          assert.equal(answer.code, 'FORBIDDEN_ROLE', `${name}, ${role}`);
          assert.match(answer.message ?? '', /regulators/, `${name}, ${role}: names who may`);
          assert.equal(normalise(answer, batchA, missingBatch), normalise(await ask(as[role], query, { b: missingBatch }), batchA, missingBatch), `${name}, ${role}`);
        }
      }
    });

    it('traceBackward: regulators; a participant up to its horizon on the pack (state and verdicts only while it holds it); UNKNOWN_ITEM for anyone else, as for a missing pack', async () => {
      type Trace = { traceBackward: { packId: string; state: string | null; batch: { id: string }; custodians: Array<{ participantId: string }>; shipments: Array<{ id: string; state: string }>; temperatureVerdicts: unknown[] } };
      const p = (r: Role) => as[r].participantId;
      const whole = { custodians: [p('manufacturer'), p('wholesaler'), p('pharmacy')], shipments: [[shipmentToWholesaler, 'received'], [shipmentToPharmacy, 'received']] };
      const expected: Partial<Record<Role, { custodians: string[]; shipments: string[][]; state: string | null }>> = {
        regulator: { ...whole, state: 'recalled' },
        pharmacy: { ...whole, state: 'recalled' },
        // The wholesaler was a party to the pharmacy's receipt of its shipment: its horizon.
        wholesaler: { ...whole, state: null },
        manufacturer: { custodians: [p('manufacturer'), p('wholesaler')], shipments: [[shipmentToWholesaler, 'received']], state: null },
      };
      for (const role of RECALL_ROLES) {
        const answer = await ask(as[role], BACKWARD, { p: packA });
        const want = expected[role];
        if (!want) {
          assert.equal(answer.code, 'UNKNOWN_ITEM', `traceBackward, ${role}`);
          assert.equal(normalise(answer, packA, missingPack), normalise(await ask(as[role], BACKWARD, { p: missingPack }), packA, missingPack), `traceBackward, ${role}: hidden answers like missing`);
          continue;
        }
        const trace = (answer.data as Trace).traceBackward;
        assert.equal(trace.batch.id, batchA, role);
        assert.deepEqual(trace.custodians.map((c) => c.participantId), want.custodians, `custodians, ${role}`);
        assert.deepEqual(trace.shipments.map((s) => [s.id, s.state]), want.shipments, `shipments, ${role}`);
        assert.equal(trace.state, want.state, `state, ${role}`);
        if (want.state === null) assert.deepEqual(trace.temperatureVerdicts, [], `verdicts, ${role}`);
      }
      // The packs they hold: the manufacturer its unshipped pack, the direct customer what it received.
      for (const [role, id] of [['manufacturer', packC], ['directCustomer', packD]] as const) {
        const trace = ((await ask(as[role], BACKWARD, { p: id })).data as Trace).traceBackward;
        assert.equal(trace.state, 'recalled', `${role} holds ${id}`);
      }
      assert.equal((await ask(as.directCustomer, BACKWARD, { p: packC })).code, 'UNKNOWN_ITEM');
    });

    it('myRecallNotifications: one’s own only; recallDeliveries: regulators and the recall’s initiator, UNKNOWN_RECALL for everyone else, as for an unknown recall', async () => {
      const notificationIds = new Set<string>();
      for (const role of RECALL_ROLES) {
        const own = ((await ask(as[role], NOTIFICATIONS)).data as { myRecallNotifications: Array<{ id: string; recall: string; affectedPacks: number }> }).myRecallNotifications;
        const told = ['manufacturer', 'pharmacy', 'directCustomer'].includes(role);
        assert.deepEqual(own.map((n) => n.recall), told ? [recall] : [], `myRecallNotifications, ${role}`);
        if (told) assert.equal(own[0].affectedPacks, { manufacturer: 1, pharmacy: 2, directCustomer: 1 }[role as 'manufacturer' | 'pharmacy' | 'directCustomer'], role);
        for (const n of own) {
          assert.equal(notificationIds.has(n.id), false, `${role} sees only its own notification`);
          notificationIds.add(n.id);
        }
        for (const [id, initiator] of [[recall, 'regulator'], [voluntary, 'otherManufacturer']] as const) {
          const answer = await ask(as[role], DELIVERIES, { r: id });
          if (role === 'regulator' || role === initiator) {
            const list = (answer.data as { recallDeliveries: Array<{ participantId: string }> }).recallDeliveries;
            const want = id === recall ? [as.directCustomer, as.manufacturer, as.pharmacy].map((c) => c.participantId).sort() : [];
            assert.deepEqual(list.map((d) => d.participantId).sort(), want, `recallDeliveries ${id}, ${role}`);
          } else {
            const missing = await ask(as[role], DELIVERIES, { r: missingRecall });
            assert.equal(answer.code, 'UNKNOWN_RECALL', `recallDeliveries ${id}, ${role}`);
            assert.equal(normalise(answer, id, missingRecall), normalise(missing, id, missingRecall), `recallDeliveries ${id}, ${role}: hidden answers like missing`);
          }
        }
      }
    });

    it('myWebhook and registerWebhook: each caller registers and reads its own only', async () => {
      // A literal public address: nothing is resolved, and no recall is notified after this, so nothing is sent.
      const urlOf = (role: Role) => `https://93.184.215.14/hooks/${as[role].participantId}`;
      for (const role of RECALL_ROLES) {
        assert.deepEqual((await ask(as[role], WEBHOOK)).data, { myWebhook: null }, `${role} has none yet`);
      }
      for (const role of RECALL_ROLES) {
        const registered = await ask(as[role], REGISTER, { u: urlOf(role) });
        assert.equal((registered.data as { registerWebhook: { url: string } } | null)?.registerWebhook.url, urlOf(role), `${role}: ${registered.message}`);
      }
      for (const role of RECALL_ROLES) {
        assert.equal(((await ask(as[role], WEBHOOK)).data as { myWebhook: { url: string } }).myWebhook.url, urlOf(role), `myWebhook, ${role}`);
      }
    });

    it('anonymous callers: none of it', async () => {
      for (const [q, v] of [
        [RECALL, { id: recall }],
        [RECALLS, {}],
        [PROGRESS, { r: recall }],
        [FORWARD, { b: batchA }],
        [FORWARD_CSV, { b: batchA }],
        [BACKWARD, { p: packA }],
        [NOTIFICATIONS, {}],
        [DELIVERIES, { r: recall }],
        [WEBHOOK, {}],
        [REGISTER, { u: 'https://93.184.215.14/hooks/anonymous' }],
        [HEAD, { id: recall }],
        [HISTORY, { id: recall }],
      ] as Array<[string, Record<string, unknown>]>) {
        const answer = await askAnonymously(server.url, q, v);
        assert.equal(answer.code, 'UNAUTHENTICATED', q);
      }
    });
  });

  describe('verification alerts (clone alerts, issue 10)', () => {
    const ALERTS = '{ verificationAlerts(first: 100) { id manufacturerId evidence } }';
    const ALERT = 'query($id: ID!) { verificationAlert(id: $id) { id manufacturerId evidence } }';
    const UPDATE = 'mutation($id: ID!, $s: String!, $n: String) { updateVerificationAlert(id: $id, status: $s, note: $n) { id status revision } }';
    const missingAlert = 'alert:00000000-0000-4000-8000-000000000000';
    const ALERT_SEES: Role[] = ['regulator', 'manufacturer'];
    let alertId: string;

    before(async () => {
      // A serial never commissioned under the manufacturer's GTIN (EMVS A7), scanned on the public page.
      await server.api.get(ScanRecorder).record({ gtin: gtinA, serial: 'ACCESSNEVERMADE', channel: 'app', status: 'UNKNOWN_SERIAL', reasons: ['UNKNOWN_SERIAL'], region: 'DE', deviceId: null });
      alertId = await waitFor('the UNKNOWN_SERIAL alert', async () => {
        const rows: Array<{ id: string }> = await server.runtime.dataSource.query(`SELECT id FROM verification_alerts WHERE gtin = $1 AND serial = 'ACCESSNEVERMADE'`, [gtinA]);
        return rows[0]?.id;
      }, 30_000);
    });

    it('verificationAlerts and verificationAlert: regulators and the product’s manufacturer; an empty list and UNKNOWN_ALERT for everyone else, as for a missing alert', async () => {
      for (const role of ROLES) {
        const list = (await ask(as[role], ALERTS)).data as { verificationAlerts: Array<{ id: string }> };
        const one = await ask(as[role], ALERT, { id: alertId });
        if (ALERT_SEES.includes(role)) {
          assert.equal(list.verificationAlerts.some((a) => a.id === alertId), true, `verificationAlerts, ${role}`);
          assert.equal((one.data as { verificationAlert: { id: string } }).verificationAlert.id, alertId, `verificationAlert, ${role}`);
        } else {
          assert.deepEqual(list.verificationAlerts, [], `verificationAlerts, ${role}`);
          assert.equal(one.code, 'UNKNOWN_ALERT', `verificationAlert, ${role}`);
          assert.equal(normalise(one, alertId, missingAlert), normalise(await ask(as[role], ALERT, { id: missingAlert }), alertId, missingAlert), `hidden = missing, ${role}`);
        }
      }
    });

    it('updateVerificationAlert: regulators and the product’s manufacturer; another manufacturer UNKNOWN_ALERT as for a missing alert; other roles FORBIDDEN_ROLE', async () => {
      for (const role of ROLES.filter((r) => !ALERT_SEES.includes(r))) {
        const answer = await ask(as[role], UPDATE, { id: alertId, s: 'under_investigation', n: null });
        assert.equal(answer.code, role === 'otherManufacturer' ? 'UNKNOWN_ALERT' : 'FORBIDDEN_ROLE', `updateVerificationAlert, ${role}`);
      }
      const moved = (await ask(as.manufacturer, UPDATE, { id: alertId, s: 'under_investigation', n: null })).data as { updateVerificationAlert: { revision: number } };
      assert.equal(moved.updateVerificationAlert.revision, 2);
      const closed = (await ask(as.regulator, UPDATE, { id: alertId, s: 'closed', n: 'A test print from the packaging line.' })).data as { updateVerificationAlert: { status: string } };
      assert.equal(closed.updateVerificationAlert.status, 'closed');
    });

    it('anonymous callers: none of it', async () => {
      for (const [q, v] of [[ALERTS, {}], [ALERT, { id: alertId }], [UPDATE, { id: alertId, s: 'closed', n: 'x' }]] as Array<[string, Record<string, unknown>]>) {
        assert.equal((await askAnonymously(server.url, q, v)).code, 'UNAUTHENTICATED', q);
      }
    });
  });
});
