// The audit replays prescriptions and the pack states dispensing sets (issue 8): a ledger with
// prescriptions issued and cancelled, dispenses (partial, exhausting, from a case), decommissions of every
// kind and undos audits clean; then a prescription's stored remaining and a supplied pack's stored state
// are changed (inside a transaction that is rolled back) and the audit names each one.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { QueryRunner } from 'typeorm';
import { AuditFailure, auditDatabase, withDatabaseSnapshot } from '@pharmatrace/audit';
import { packAssetId, parseBatchAssetId } from '@pharmatrace/custody/custody-events';
import {
  cancelPrescription, commissionPacks, decommission, dispense, issuePrescription, patientPseudonym, PharmaTraceClient, PrescriptionSpec, receive, registerBatch,
  registerProduct, ship, undoDecommission, undoDispense,
} from '@pharmatrace/sdk';
import { auditTampered as tamperedAudit } from './support/tampered-audit';
import { sealEverything, startTestServer, TestServer } from './support/test-server';
import { createTestNetwork, TestNetwork } from './support/test-network';
import { newGtin, productSpec } from './support/custody-fixture';

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe('ledger audit: prescriptions and dispensed pack states', () => {
  let server: TestServer;
  let net: TestNetwork;
  let pharmacy: PharmaTraceClient;
  const patient = patientPseudonym(randomBytes(32), 'AB-123456-C');
  /** A prescription partly dispensed, and a pack it supplied that stays supplied. */
  let partlyFilled: string;
  let suppliedPack: string;

  const auditTampered = (tamper: (t: QueryRunner) => Promise<unknown>): Promise<AuditFailure> => tamperedAudit(server.runtime.dataSource, tamper);

  before(async () => {
    server = await startTestServer();
    net = await createTestNetwork(server);
    const [maker, ph, dr] = await Promise.all([net.join('manufacturer', 'ax-maker'), net.join('pharmacy', 'ax-pharmacy'), net.join('prescriber', 'ax-dr')]);
    pharmacy = ph;
    const gtin = newGtin();
    await registerProduct(maker, productSpec(gtin));
    const batch = (await registerBatch(maker, { gtin, lot: `AX${Date.now() % 1e6}`, quantity: 100, manufacturedOn: '2026-01-10', expiresOn: '2028-01-31' })).id;
    const { serials } = await commissionPacks(maker, batch, 12);
    const packs = serials.map((s) => ({ id: packAssetId(parseBatchAssetId(batch)!.gtin, s), scan: `01${gtin}21${s}` }));
    const { shipment } = await ship(maker, pharmacy.participantId, packs.map((p) => p.id));
    await receive(pharmacy, shipment);
    const rx = async (overrides: Partial<PrescriptionSpec> = {}): Promise<string> =>
      (await issuePrescription(dr, { patient, product: { gtin }, quantity: 1, refills: 0, validFrom: day(0), validUntil: day(90), controlledClass: 'none', ...overrides })).id;

    // partly filled: 1 of 2 × 2 packs
    partlyFilled = await rx({ quantity: 2, refills: 1 });
    await dispense(pharmacy, { prescription: partlyFilled, patient, scans: [packs[0].scan] });
    suppliedPack = packs[0].id;
    // exhausted, then one pack undone (active again), then the other undone too and dispensed again
    const exhausted = await rx({ quantity: 2 });
    const both = await dispense(pharmacy, { prescription: exhausted, patient, scans: [packs[1].scan, packs[2].scan] });
    await undoDispense(pharmacy, both.hash, [packs[1].id]);
    await undoDispense(pharmacy, both.hash, [packs[2].id]);
    await dispense(pharmacy, { prescription: exhausted, patient, scans: [packs[1].scan] });
    // exhausted and left so
    await dispense(pharmacy, { prescription: await rx(), patient, scans: [packs[3].scan] });
    // cancelled
    await cancelPrescription(dr, await rx(), 'wrong patient');
    // every decommission kind; one undone, one locked pack later destroyed (a custody event)
    const kinds = ['sample', 'free_sample', 'locked', 'exported'] as const;
    const hashes: string[] = [];
    for (const [i, kind] of kinds.entries()) hashes.push((await decommission(pharmacy, kind, [packs[4 + i].id], `${kind} for the audit`)).hash);
    await undoDecommission(pharmacy, hashes[0], [packs[4].id]);
    await decommission(pharmacy, 'locked', [packs[8].id], 'investigation');
    await decommission(pharmacy, 'destroyed', [packs[8].id], 'found falsified');
    await sealEverything(server);
  });
  after(async () => server?.close());

  it('replays clean: prescriptions issued, cancelled, dispensed, exhausted and undone; packs supplied, decommissioned, undone and destroyed', async () => {
    const report = await withDatabaseSnapshot(server.runtime.dataSource, (db) => auditDatabase(db));
    assert.equal(report.ok, true, report.ok ? '' : `${report.failure.code}: ${report.failure.where} — ${report.failure.why}`);
  });

  it('names a prescription whose stored remaining was changed', async () => {
    const f = await auditTampered((t) => t.query('UPDATE prescriptions SET remaining = remaining + 1 WHERE id = $1', [partlyFilled]));
    assert.equal(f.code, 'PRESCRIPTION_STATE_MISMATCH');
    assert.equal(f.where, `prescription ${partlyFilled}`);
    assert.match(f.why, /^remaining is stored as 4, but the events make it 3/);
  });

  it('names a prescription whose stored state was changed, and one stored without an event', async () => {
    const f = await auditTampered((t) => t.query(`UPDATE prescriptions SET state = 'cancelled' WHERE id = $1`, [partlyFilled]));
    assert.deepEqual([f.code, f.where], ['PRESCRIPTION_STATE_MISMATCH', `prescription ${partlyFilled}`]);
    assert.match(f.why, /^state is stored as "cancelled", but the events make it "active"/);
    const extra = await auditTampered((t) =>
      t.query(`INSERT INTO prescriptions SELECT 'forged-prescription', prescriber_id, patient_pseudonym, product, quantity, refills, remaining, valid_from, valid_until,
                 controlled_class, state, issued_seq, updated_seq FROM prescriptions WHERE id = $1`, [partlyFilled]),
    );
    assert.deepEqual([extra.code, extra.where], ['PRESCRIPTION_STATE_MISMATCH', 'prescription forged-prescription']);
  });

  it('names a supplied pack whose stored state was set back to active', async () => {
    const f = await auditTampered((t) => t.query(`UPDATE custody_items SET state = 'active' WHERE id = $1`, [suppliedPack]));
    assert.equal(f.code, 'PACK_STATE_MISMATCH');
    assert.equal(f.where, `pack ${suppliedPack}`);
    assert.match(f.why, /stored as "active", but event #\d+, the last dispensing event on it, makes it "supplied"/);
  });
});
