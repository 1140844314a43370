// The audit replays recalls (libs/audit/src/projections/recalls-projection.ts): a regulator's recall of a batch,
// amended with an ingredient lot (reaching another batch that consumed it) and a new class, acknowledged by the
// pharmacy holding recalled packs and closed, audits clean once sealed; then the stored state is changed the
// ways that used to go unnoticed — a recalled pack set back to active, a recall_batches row deleted, the class
// changed, an acknowledgement removed — each inside a transaction that is rolled back, and the audit names the
// first mismatch with its code.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { QueryRunner } from 'typeorm';
import { AuditFailure, auditDatabase, withDatabaseSnapshot } from '@pharmatrace/audit';
import { packAssetId } from '@pharmatrace/custody/custody-events';
import {
  acknowledgeRecall, amendRecall, closeRecall, commissionPacks, initiateRecall, myRecallNotifications, receive, registerBatch, registerIngredientLot, registerProduct, ship,
} from '@pharmatrace/sdk';
import { auditTampered as tamperedAudit } from './support/tampered-audit';
import { sealEverything, startTestServer, TestServer, waitFor } from './support/test-server';
import { createTestNetwork } from './support/test-network';
import { newGtin, productSpec } from './support/custody-fixture';

const DATES = { manufacturedOn: '2026-01-10', expiresOn: '2028-01-31' };
const CERT = { sha256: 'c'.repeat(64), issuer: 'Andes Chamber of Commerce', countryOfOrigin: 'CL', issuedOn: '2026-01-05' };

describe('ledger audit: recalls and recalled packs', () => {
  let server: TestServer;
  let recall: string;
  /** The batch the recall names, and the one it reaches through the ingredient lot. */
  let named: string;
  let viaLot: string;
  /** A recalled pack at the pharmacy. */
  let heldPack: string;
  let pharmacyId: string;

  const auditTampered = (tamper: (t: QueryRunner) => Promise<unknown>): Promise<AuditFailure> => tamperedAudit(server.runtime.dataSource, tamper);

  before(async () => {
    server = await startTestServer();
    const net = await createTestNetwork(server);
    const [maker, supplier, pharmacy] = await Promise.all([net.join('manufacturer', 'ar-maker'), net.join('supplier', 'ar-supplier'), net.join('pharmacy', 'ar-pharmacy')]);
    pharmacyId = pharmacy.participantId;
    const gtin = newGtin();
    await registerProduct(maker, productSpec(gtin));
    const { id: lot } = await registerIngredientLot(supplier, { number: `AR-API-${Date.now() % 1e6}`, material: 'insulin glargine (API)', quantity: 10, unit: 'kg', certificate: CERT });
    const toMaker = await ship(supplier, maker.participantId, [lot]);
    await receive(maker, toMaker.shipment);
    named = (await registerBatch(maker, { gtin, lot: `ARN${Date.now() % 1e6}`, quantity: 100, ...DATES })).id;
    viaLot = (await registerBatch(maker, { gtin, lot: `ARL${Date.now() % 1e6}`, quantity: 100, ...DATES }, [lot])).id;
    const packs = (await commissionPacks(maker, named, 4)).serials.map((s) => packAssetId(gtin, s));
    await commissionPacks(maker, viaLot, 3);
    const toPharmacy = await ship(maker, pharmacyId, packs.slice(0, 2));
    await receive(pharmacy, toPharmacy.shipment);
    heldPack = packs[0];

    ({ recall } = await initiateRecall(net.regulator, { class: 'II', reason: 'out-of-specification assay', instructions: 'Quarantine and return.', notifyPatients: false, batches: [named] }));
    await amendRecall(net.regulator, recall, { addIngredientLots: [lot], class: 'I', instructions: 'Destroy on site.\n\tReport the count.' });
    await waitFor('the pharmacy to be notified', async () => (await myRecallNotifications(pharmacy)).find((n) => n.recall === recall && n.revision === 1));
    await acknowledgeRecall(pharmacy, recall, 1);
    await closeRecall(net.regulator, recall, 'all reachable stock returned');
    await sealEverything(server);
  });
  after(async () => server?.close());

  it('replays clean: the recall, its revisions, its lot, both batches (named and through the lot), the acknowledgement, the recalled packs', async () => {
    const report = await withDatabaseSnapshot(server.runtime.dataSource, (db) => auditDatabase(db));
    assert.equal(report.ok, true, report.ok ? '' : `${report.failure.code}: ${report.failure.where} — ${report.failure.why}`);
    const [row] = await server.runtime.dataSource.query('SELECT count(*)::int AS n FROM recall_batches WHERE recall_id = $1', [recall]);
    assert.equal(row.n, 2);
  });

  it('names a recalled pack set back to active', async () => {
    const f = await auditTampered((t) => t.query(`UPDATE custody_items SET state = 'active' WHERE id = $1`, [heldPack]));
    assert.deepEqual([f.code, f.where], ['RECALLED_PACK_MISMATCH', `pack ${heldPack}`]);
    assert.match(f.why, new RegExp(`stored as "active", but recall ${recall} covers its batch ${named.replace(/[/.]/g, '\\$&')} since event #\\d+`));
  });

  it('names a deleted recall_batches row, whether the batch was named or reached through the lot', async () => {
    const f = await auditTampered((t) => t.query('DELETE FROM recall_batches WHERE recall_id = $1 AND batch_id = $2', [recall, named]));
    assert.deepEqual([f.code, f.where], ['RECALL_MISMATCH', `recall ${recall}`]);
    assert.match(f.why, /^batch .* is not stored among its batches, but event #\d+ names it\.$/);
    const g = await auditTampered((t) => t.query('DELETE FROM recall_batches WHERE recall_id = $1 AND batch_id = $2', [recall, viaLot]));
    assert.equal(g.code, 'RECALL_MISMATCH');
    assert.match(g.why, /is not stored among its batches, but event #\d+ reaches it through ingredient lot ingredient-lot:/);
  });

  it('names a changed class', async () => {
    const f = await auditTampered((t) => t.query(`UPDATE recalls SET class = 'III' WHERE id = $1`, [recall]));
    assert.deepEqual([f.code, f.where], ['RECALL_MISMATCH', `recall ${recall}`]);
    assert.match(f.why, /^class is stored as "III", but the events make it "I"/);
  });

  it('names a removed acknowledgement', async () => {
    const f = await auditTampered((t) =>
      t.query('UPDATE recall_notifications SET acknowledged_seq = NULL, acknowledged_hash = NULL, acknowledged_at = NULL WHERE recall_id = $1 AND participant_id = $2', [recall, pharmacyId]),
    );
    assert.deepEqual([f.code, f.where], ['RECALL_MISMATCH', `recall ${recall}`]);
    assert.match(f.why, new RegExp(`^${pharmacyId}'s acknowledgement of revision 1 is not stored, but event #\\d+ signed it`));
  });

  it('all three at once (packs back to active, the batches deleted, the class changed): the recall row is named first', async () => {
    const f = await auditTampered(async (t) => {
      await t.query(`UPDATE custody_items SET state = 'active' WHERE batch_id = ANY($1::text[]) AND state = 'recalled'`, [[named, viaLot]]);
      await t.query('DELETE FROM recall_batches WHERE recall_id = $1', [recall]);
      await t.query(`UPDATE recalls SET class = 'II' WHERE id = $1`, [recall]);
    });
    assert.deepEqual([f.code, f.where], ['RECALL_MISMATCH', `recall ${recall}`]);
    assert.match(f.why, /^class is stored as "II"/);
  });
});
