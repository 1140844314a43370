// SQL of the fan-out: which revisions are still to be fanned out, what a revision covers, and the rows it
// writes (one recall_notifications row per participant and revision, one webhook_deliveries row per
// notification whose participant has a webhook). Inserts are ON CONFLICT DO NOTHING: a re-run adds nothing.
import { EntityManager } from 'typeorm';
import type { RecallRevisionKind } from '../recall-webhook-payload';
import type { NotificationDraft } from './notification-drafts';

export interface RevisionRef {
  recallId: string;
  revision: number;
}

export interface LockedRevision extends RevisionRef {
  kind: RecallRevisionKind;
  initiatorId: string;
}

/** Revisions not fanned out yet, oldest event first (what the worker's sweep picks up). */
export async function pendingRevisions(m: EntityManager, limit: number): Promise<RevisionRef[]> {
  const rows: Array<{ recall_id: string; revision: number }> = await m.query(
    'SELECT recall_id, revision FROM recall_revisions WHERE fanned_out_at IS NULL ORDER BY seq LIMIT $1',
    [limit],
  );
  return rows.map((r) => ({ recallId: r.recall_id, revision: Number(r.revision) }));
}

/**
 * Locks the recall's revisions up to `revision` that are not fanned out yet, in revision order (a later
 * revision reaches everyone told of an earlier one, so earlier ones go first). Concurrent fan-outs of the same
 * recall wait here; the one that comes second finds nothing left to do.
 */
export async function lockUnfannedRevisions(m: EntityManager, recallId: string, revision: number): Promise<LockedRevision[]> {
  const rows: Array<{ revision: number; kind: RecallRevisionKind; initiator_id: string }> = await m.query(
    `SELECT rr.revision, rr.kind, r.initiator_id FROM recall_revisions rr JOIN recalls r ON r.id = rr.recall_id
      WHERE rr.recall_id = $1 AND rr.revision <= $2 AND rr.fanned_out_at IS NULL
      ORDER BY rr.revision FOR UPDATE OF rr`,
    [recallId, revision],
  );
  return rows.map((r) => ({ recallId, revision: Number(r.revision), kind: r.kind, initiatorId: r.initiator_id }));
}

/** The batches and ingredient lots a recall covers as of a revision. */
export async function recallScope(m: EntityManager, recallId: string, revision: number): Promise<{ batches: string[]; ingredientLots: string[] }> {
  // One after the other: `m` may be a transaction's single connection.
  const batches: Array<{ batch_id: string }> = await m.query('SELECT batch_id FROM recall_batches WHERE recall_id = $1 AND added_revision <= $2 ORDER BY batch_id', [
    recallId,
    revision,
  ]);
  const lots: Array<{ ingredient_lot_id: string }> = await m.query(
    'SELECT ingredient_lot_id FROM recall_ingredient_lots WHERE recall_id = $1 AND added_revision <= $2 ORDER BY ingredient_lot_id',
    [recallId, revision],
  );
  return { batches: batches.map((b) => b.batch_id), ingredientLots: lots.map((l) => l.ingredient_lot_id) };
}

/** Manufacturers of the batches (each once). */
export async function batchManufacturers(m: EntityManager, batchIds: string[]): Promise<string[]> {
  const rows: Array<{ manufacturer_id: string }> = await m.query('SELECT DISTINCT manufacturer_id FROM batches WHERE id = ANY($1::text[]) ORDER BY 1', [batchIds]);
  return rows.map((r) => r.manufacturer_id);
}

/** Everyone told of an earlier revision of the recall. */
export async function previouslyNotified(m: EntityManager, recallId: string, revision: number): Promise<string[]> {
  const rows: Array<{ participant_id: string }> = await m.query(
    'SELECT DISTINCT participant_id FROM recall_notifications WHERE recall_id = $1 AND revision < $2 ORDER BY 1',
    [recallId, revision],
  );
  return rows.map((r) => r.participant_id);
}

/** Inserts the notifications (each participant once per revision); returns the ids of those inserted now. */
export async function insertNotifications(m: EntityManager, ref: RevisionRef, drafts: NotificationDraft[]): Promise<string[]> {
  if (drafts.length === 0) return [];
  const rows: Array<{ id: string }> = await m.query(
    `INSERT INTO recall_notifications (recall_id, revision, participant_id, reasons, affected_packs)
     SELECT $1, $2, d.participant_id, string_to_array(d.reasons, ','), d.affected_packs
       FROM unnest($3::text[], $4::text[], $5::int[]) AS d(participant_id, reasons, affected_packs)
     ON CONFLICT (recall_id, revision, participant_id) DO NOTHING
     RETURNING id`,
    [ref.recallId, ref.revision, drafts.map((d) => d.participantId), drafts.map((d) => d.reasons.join(',')), drafts.map((d) => d.affectedPacks)],
  );
  return rows.map((r) => String(r.id));
}

/**
 * A pending delivery for each of the revision's notifications whose participant has a webhook now (the URL is
 * copied: a later change of webhook does not redirect a message already on its way). Returns their ids.
 */
export async function insertDeliveries(m: EntityManager, ref: RevisionRef): Promise<string[]> {
  const rows: Array<{ notification_id: string }> = await m.query(
    `INSERT INTO webhook_deliveries (notification_id, participant_id, url, state)
     SELECT n.id, n.participant_id, w.url, 'pending'
       FROM recall_notifications n JOIN webhook_endpoints w ON w.participant_id = n.participant_id
      WHERE n.recall_id = $1 AND n.revision = $2
     ON CONFLICT (notification_id) DO NOTHING
     RETURNING notification_id`,
    [ref.recallId, ref.revision],
  );
  return rows.map((r) => String(r.notification_id));
}

export async function markFannedOut(m: EntityManager, ref: RevisionRef): Promise<void> {
  await m.query('UPDATE recall_revisions SET fanned_out_at = now() WHERE recall_id = $1 AND revision = $2', [ref.recallId, ref.revision]);
}
