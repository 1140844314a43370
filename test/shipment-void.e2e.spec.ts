// Voiding a shipment (CBV void_shipping, `custody.shipping_voided`), one scenario per rule: only the
// sender, only while the shipment is in transit; the items come back to the sender's custody and can be
// shipped again; a voided shipment can no longer be received or refused. Every refusal stores nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { auditDatabase, withDatabaseSnapshot } from '@pharmatrace/audit';
import { CustodyEventTypes, packAssetId } from '@pharmatrace/custody/custody-events';
import { commissionPacks, item, itemHistory, pack, PharmaTraceClient, receive, refuse, ship, voidShipment, writeKeyFile } from '@pharmatrace/sdk';
import { sealEverything, startTestServer, TestServer } from './support/test-server';
import { createTestNetwork, refusedWithNothingStored as storedNothing, TestNetwork } from './support/test-network';
import { newSscc, productAndBatch } from './support/custody-fixture';
import { runCli } from './support/run-cli';

describe('shipment voiding', () => {
  let server: TestServer;
  let net: TestNetwork;
  let maker: PharmaTraceClient;
  let wholesaler: PharmaTraceClient;
  let pharmacy: PharmaTraceClient;

  before(async () => {
    server = await startTestServer();
    net = await createTestNetwork(server);
    [maker, wholesaler, pharmacy] = await Promise.all([net.join('manufacturer', 'void-maker'), net.join('wholesaler', 'void-wholesaler'), net.join('pharmacy', 'void-pharmacy')]);
  });
  after(async () => server?.close());

  const refusedWithNothingStored = (code: string, fn: () => Promise<unknown>) => storedNothing(server, code, fn);

  async function packs(n: number): Promise<string[]> {
    const { gtin, batch } = await productAndBatch(maker, n);
    const { serials } = await commissionPacks(maker, batch, n);
    return serials.map((s) => packAssetId(gtin, s));
  }

  const shipmentState = async (id: string): Promise<string> =>
    (await server.runtime.dataSource.query('SELECT state FROM shipments WHERE id = $1', [id]))[0].state;

  it('sender voids: the items are back in its custody, active, and can be shipped again', async () => {
    const [a, b] = await packs(2);
    const { shipment } = await ship(maker, wholesaler.participantId, [a, b]);
    assert.equal((await item(maker, a))?.inTransitOn, shipment);
    const receipt = await voidShipment(maker, shipment, 'wrong address');
    assert.equal(receipt.type, CustodyEventTypes.shippingVoided);
    assert.deepEqual(receipt.result, { shipment, voided: 2, custodian: maker.participantId });
    for (const id of [a, b]) {
      const back = await item(maker, id);
      assert.deepEqual([back?.custodianId, back?.state, back?.inTransitOn], [maker.participantId, 'active', null]);
    }
    assert.equal(await shipmentState(shipment), 'voided');
    const incoming = await wholesaler.query<{ incomingShipments: Array<{ id: string }> }>('query { incomingShipments { id } }');
    assert.ok(!incoming.incomingShipments.some((s) => s.id === shipment), 'a voided shipment no longer waits for its recipient');
    const again = await ship(maker, pharmacy.participantId, [a, b]);
    await receive(pharmacy, again.shipment);
    assert.equal((await item(pharmacy, a))?.custodianId, pharmacy.participantId);
  });

  it('sender voids a pallet: everything packed in it comes back with it', async () => {
    const contents = await packs(3);
    const pallet = newSscc();
    await pack(maker, { id: pallet, kind: 'pallet' }, contents, { newContainer: true });
    const { shipment } = await ship(maker, wholesaler.participantId, [pallet]);
    await voidShipment(maker, shipment, 'truck broke down');
    const inner = await item(maker, contents[1]);
    assert.deepEqual([inner?.custodianId, inner?.topId, inner?.inTransitOn], [maker.participantId, pallet, null]);
    const history = await itemHistory(maker, contents[1]);
    assert.deepEqual(history.slice(-2).map((h) => [h.type, h.via]), [[CustodyEventTypes.shipped, pallet], [CustodyEventTypes.shippingVoided, pallet]]);
  });

  it('recipient cannot void: NOT_SHIPMENT_SENDER, it refuses instead; a stranger is told no such shipment exists', async () => {
    const [a] = await packs(1);
    const { shipment } = await ship(maker, wholesaler.participantId, [a]);
    // the recipient cites the right prevs (read by the sender) so that only the rule can refuse it
    const heads = await maker.assetHeads([shipment, a]);
    const signedBy = (c: PharmaTraceClient) =>
      c.sign({ type: CustodyEventTypes.shippingVoided, assets: [shipment, a].map((id) => ({ id, prev: heads.get(id) ?? null })), data: { v: 1, shipment, reason: 'not mine' } });
    const voidAs = (c: PharmaTraceClient) => c.query('mutation($i: SignedEventInput!) { voidShipment(input: $i) { seq } }', { i: signedBy(c) });
    const r = await refusedWithNothingStored('NOT_SHIPMENT_SENDER', () => voidAs(wholesaler));
    assert.match(r.message, /Only void-maker, who sent shipment .*, may void it; as its recipient, refuse it instead\./);
    await refusedWithNothingStored('UNKNOWN_SHIPMENT', () => voidAs(pharmacy));
    await refuse(wholesaler, shipment, 'not ordered');
    assert.equal((await item(maker, a))?.custodianId, maker.participantId);
  });

  it('a received shipment cannot be voided: SHIPMENT_CLOSED', async () => {
    const [a] = await packs(1);
    const { shipment } = await ship(maker, wholesaler.participantId, [a]);
    await receive(wholesaler, shipment);
    const r = await refusedWithNothingStored('SHIPMENT_CLOSED', () => voidShipment(maker, shipment, 'too late'));
    assert.match(r.message, /was already received; only a shipment still in transit can be voided/);
    assert.equal((await item(wholesaler, a))?.custodianId, wholesaler.participantId);
  });

  it('a refused or already voided shipment cannot be voided: SHIPMENT_CLOSED', async () => {
    const [a, b] = await packs(2);
    const refused = await ship(maker, wholesaler.participantId, [a]);
    await refuse(wholesaler, refused.shipment, 'damaged');
    await refusedWithNothingStored('SHIPMENT_CLOSED', () => voidShipment(maker, refused.shipment, 'x'));
    const voided = await ship(maker, wholesaler.participantId, [b]);
    await voidShipment(maker, voided.shipment, 'cancelled order');
    const r = await refusedWithNothingStored('SHIPMENT_CLOSED', () => voidShipment(maker, voided.shipment, 'again'));
    assert.match(r.message, /was already voided/);
  });

  it('a voided shipment cannot be received or refused: SHIPMENT_CLOSED', async () => {
    const [a] = await packs(1);
    const { shipment } = await ship(maker, wholesaler.participantId, [a]);
    await voidShipment(maker, shipment, 'recalled by phone');
    const r = await refusedWithNothingStored('SHIPMENT_CLOSED', () => receive(wholesaler, shipment));
    assert.match(r.message, /was already voided/);
    await refusedWithNothingStored('SHIPMENT_CLOSED', () => refuse(wholesaler, shipment, 'x'));
    assert.equal((await item(maker, a))?.custodianId, maker.participantId);
  });

  it('voiding an unknown shipment: UNKNOWN_SHIPMENT', async () => {
    await refusedWithNothingStored('UNKNOWN_SHIPMENT', () => voidShipment(maker, 'shipment:never-shipped-1', 'x'));
  });

  it('the voidShipment mutation takes only custody.shipping_voided events, from custodians', async () => {
    const [a] = await packs(1);
    const { shipment } = await ship(maker, wholesaler.participantId, [a]);
    const signed = await maker.signWithHeads(CustodyEventTypes.received, [shipment, a], { v: 1, shipment });
    await refusedWithNothingStored('BAD_REQUEST', () => maker.query('mutation($i: SignedEventInput!) { voidShipment(input: $i) { seq } }', { i: signed }));
    await refusedWithNothingStored('FORBIDDEN_ROLE', () => voidShipment(net.regulator, shipment, 'x'));
    await voidShipment(maker, shipment, 'done');
  });

  it('CLI: void-shipment voids the sender’s shipment', async () => {
    const [a] = await packs(1);
    const { shipment } = await ship(maker, wholesaler.participantId, [a]);
    const keyFile = join(server.environment.env.PHARMATRACE_DATA_DIR, 'void-maker.json');
    writeKeyFile(keyFile, maker.key);
    const r = await runCli(['void-shipment', '--server', server.url, '--key', keyFile, '--shipment', shipment, '--reason', 'customer cancelled'], server.environment.env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).type, CustodyEventTypes.shippingVoided);
    assert.equal(await shipmentState(shipment), 'voided');
    const again = await runCli(['void-shipment', '--server', server.url, '--key', keyFile, '--shipment', shipment, '--reason', 'x'], server.environment.env);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /SHIPMENT_CLOSED/);
    const usage = await runCli(['void-shipment', '--server', server.url, '--key', keyFile], server.environment.env);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--shipment is required/);
  });

  it('audit: the ledger with voided shipments replays clean', async () => {
    await sealEverything(server);
    const report = await withDatabaseSnapshot(server.runtime.dataSource, (db) => auditDatabase(db));
    assert.equal(report.ok, true, report.ok ? '' : `${report.failure.code}: ${report.failure.where} — ${report.failure.why}`);
  });
});
