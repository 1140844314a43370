// Fifty terminals racing (DESIGN.md "Prescriptions and dispensing"): real concurrent requests against the
// real database. The outcome is asserted, never the timing: whichever request wins, exactly one does, and
// every other gets a clear error with a sentence.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { packAssetId, parseBatchAssetId } from '@pharmatrace/custody/custody-events';
import { commissionPacks, dispense, issuePrescription, patientPseudonym, PharmaTraceClient, prescription, receive, registerProduct, registerBatch, ship } from '@pharmatrace/sdk';
import { startTestServer, TestServer } from './support/test-server';
import { createTestNetwork, TestNetwork } from './support/test-network';
import { newGtin, productSpec } from './support/custody-fixture';

const TERMINALS = 50;
const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

type Outcome = { ok: true } | { ok: false; code: string; message: string };

async function outcome(call: () => Promise<unknown>): Promise<Outcome> {
  try {
    await call();
    return { ok: true };
  } catch (e) {
    const err = e as { code?: string; message: string };
    if (typeof err.code !== 'string') throw e;
    return { ok: false, code: err.code, message: err.message };
  }
}

describe('dispensing races', () => {
  let server: TestServer;
  let net: TestNetwork;
  let maker: PharmaTraceClient;
  let pharmacy: PharmaTraceClient;
  let dr: PharmaTraceClient;
  /** Fifty counter terminals of the one pharmacy: separate SDK clients, each with its own session. */
  let terminals: PharmaTraceClient[];
  let gtin: string;
  let packs: string[];
  const patient = patientPseudonym(randomBytes(32), 'RACE-0001');
  const scanOf = (id: string): string => `01${id.slice('sgtin:'.length, 'sgtin:'.length + 14)}21${id.slice('sgtin:'.length + 15)}`;

  const issue = async (quantity: number): Promise<string> =>
    (await issuePrescription(dr, { patient, product: { gtin }, quantity, refills: 0, validFrom: day(0), validUntil: day(30), controlledClass: 'none' })).id;

  before(async () => {
    // Fifty sign-ins from one address in a moment: the per-address limit on public calls is raised for it.
    server = await startTestServer(undefined, { RATE_LIMIT_PUBLIC_PER_CLIENT: '100000' });
    net = await createTestNetwork(server);
    [maker, pharmacy, dr] = await Promise.all([net.join('manufacturer', 'race-maker'), net.join('pharmacy', 'race-pharmacy'), net.join('prescriber', 'race-dr')]);
    gtin = newGtin();
    await registerProduct(maker, productSpec(gtin));
    const { id: batch } = await registerBatch(maker, { gtin, lot: 'RACE1', quantity: 200, manufacturedOn: '2026-01-10', expiresOn: '2028-01-31' });
    const { serials } = await commissionPacks(maker, batch, TERMINALS + 1);
    packs = serials.map((s) => packAssetId(parseBatchAssetId(batch)!.gtin, s));
    const { shipment } = await ship(maker, pharmacy.participantId, packs);
    await receive(pharmacy, shipment);
    terminals = Array.from({ length: TERMINALS }, () => new PharmaTraceClient(server.url, pharmacy.key));
    await Promise.all(terminals.map((t) => t.signIn()));
  });
  after(async () => server?.close());

  it('fifty terminals, fifty packs, one prescription with one pack left: exactly one wins, 49 PRESCRIPTION_EXHAUSTED', async () => {
    const id = await issue(1);
    const before = await server.eventCount();
    const results = await Promise.all(terminals.map((t, i) => outcome(() => dispense(t, { prescription: id, patient, scans: [scanOf(packs[i])] }))));
    const wins = results.filter((r) => r.ok);
    const losses = results.filter((r): r is Extract<Outcome, { ok: false }> => !r.ok);
    assert.equal(wins.length, 1, JSON.stringify(losses.slice(0, 3)));
    assert.equal(losses.length, TERMINALS - 1);
    for (const loss of losses) {
      assert.equal(loss.code, 'PRESCRIPTION_EXHAUSTED', loss.message);
      assert.match(loss.message, /^Prescription prescription:\S+ is exhausted: every pack it allowed was dispensed, none remains\.$|allows 0 more pack/);
    }
    assert.equal(await server.eventCount(), before + 1, 'one event stored');
    const rx = await prescription(dr, id);
    assert.deepEqual([rx?.remaining, rx?.state], [0, 'exhausted']);
    const supplied: Array<{ n: number }> = await server.runtime.dataSource.query(`SELECT count(*)::int AS n FROM custody_items WHERE id = ANY($1) AND state = 'supplied'`, [
      packs.slice(0, TERMINALS),
    ]);
    assert.equal(supplied[0].n, 1, 'exactly one pack supplied');
  });

  it('fifty terminals, one pack, fifty prescriptions: exactly one wins, the others STALE_PREV or ALREADY_SUPPLIED; one prescription went down', async () => {
    const ids = await Promise.all(Array.from({ length: TERMINALS }, () => issue(1)));
    const last = packs[TERMINALS];
    const before = await server.eventCount();
    const results = await Promise.all(terminals.map((t, i) => outcome(() => dispense(t, { prescription: ids[i], patient, scans: [scanOf(last)] }))));
    const losses = results.filter((r): r is Extract<Outcome, { ok: false }> => !r.ok);
    assert.equal(results.filter((r) => r.ok).length, 1, JSON.stringify(losses.slice(0, 3)));
    for (const loss of losses) {
      assert.ok(['STALE_PREV', 'ALREADY_SUPPLIED'].includes(loss.code), `${loss.code}: ${loss.message}`);
      assert.match(loss.message, loss.code === 'STALE_PREV' ? /has moved on: its head is [0-9a-f]{64}.*Reload the item and sign again/ : /already supplied \(dispensed\) here/);
    }
    assert.equal(await server.eventCount(), before + 1, 'one event stored');
    const remaining = await Promise.all(ids.map(async (id) => (await prescription(dr, id))!.remaining));
    assert.deepEqual(remaining.sort(), [0, ...Array<number>(TERMINALS - 1).fill(1)]);
    const [{ state }]: Array<{ state: string }> = await server.runtime.dataSource.query('SELECT state FROM custody_items WHERE id = $1', [last]);
    assert.equal(state, 'supplied');
  });
});
