// The recall row an amendment, close or acknowledgement acts on, locked for the event's transaction, and who
// may steer it: regulators any recall, a manufacturer the voluntary recalls it initiated while they cover only
// its own batches (FDA 21 CFR 7.46).
import { EntityManager } from 'typeorm';
import { Signer } from '@pharmatrace/ledger';
import { DomainError } from '@pharmatrace/errors';
import { unknownRecall } from '../recall-errors';
import type { RecallClass } from '../recall-events';

export interface RecallRow {
  id: string;
  initiator_id: string;
  class: RecallClass;
  reason: string;
  instructions: string;
  state: 'open' | 'closed';
  revision: number;
}

/** The recall, locked (FOR UPDATE) so that concurrent amendments number their revisions one after another. */
export async function lockRecall(m: EntityManager, recall: string): Promise<RecallRow | null> {
  const rows: RecallRow[] = await m.query('SELECT id, initiator_id, class, reason, instructions, state, revision FROM recalls WHERE id = $1 FOR UPDATE', [recall]);
  return rows[0] ?? null;
}

/** Whether a participant other than a regulator or the initiator may see the recall (docs/access-model.md). */
async function seesRecall(m: EntityManager, recall: string, participantId: string): Promise<boolean> {
  const [row]: Array<{ sees: boolean }> = await m.query(
    `SELECT EXISTS (SELECT 1 FROM recall_batches rb JOIN batches b ON b.id = rb.batch_id WHERE rb.recall_id = $1 AND b.manufacturer_id = $2)
         OR EXISTS (SELECT 1 FROM recall_notifications n WHERE n.recall_id = $1 AND n.participant_id = $2) AS sees`,
    [recall, participantId],
  );
  return row.sees;
}

/** A batch the recall covers that another manufacturer than `participantId` registered, or null. */
async function foreignBatch(m: EntityManager, recall: string, participantId: string): Promise<{ batch_id: string; manufacturer_id: string } | null> {
  const rows: Array<{ batch_id: string; manufacturer_id: string }> = await m.query(
    `SELECT rb.batch_id, b.manufacturer_id FROM recall_batches rb JOIN batches b ON b.id = rb.batch_id
      WHERE rb.recall_id = $1 AND b.manufacturer_id <> $2 ORDER BY rb.added_seq, rb.batch_id LIMIT 1`,
    [recall, participantId],
  );
  return rows[0] ?? null;
}

/**
 * The recall, when the signer may steer it (`action`: "amend", "close"): a regulator, or the manufacturer that
 * initiated it — and the manufacturer only while every batch the recall covers is its own: a voluntary recall
 * covers only the firm's own product (21 CFR 7.46), so once a regulator has widened it to another
 * manufacturer's batch the recall is the regulator's to steer. Anyone who may not even see it gets
 * UNKNOWN_RECALL, exactly as for a recall that does not exist; one who sees it (a manufacturer of its batches,
 * a notified holder, an initiator whose recall now covers another's batch) gets FORBIDDEN_ROLE. A closed
 * recall answers RECALL_CLOSED.
 */
export async function requireSteerableRecall(m: EntityManager, signer: Signer, recall: string, action: string): Promise<RecallRow> {
  const row = await lockRecall(m, recall);
  if (!row) throw unknownRecall(recall);
  if (signer.role !== 'regulator' && row.initiator_id !== signer.participantId) {
    if (!(await seesRecall(m, recall, signer.participantId))) throw unknownRecall(recall);
    throw new DomainError(
      'FORBIDDEN_ROLE',
      `Only a regulator or ${row.initiator_id}, who initiated recall ${recall}, may ${action} it; ask a regulator.`,
      { recall },
    );
  }
  if (signer.role !== 'regulator') {
    const foreign = await foreignBatch(m, recall, signer.participantId);
    if (foreign) {
      throw new DomainError(
        'FORBIDDEN_ROLE',
        `Recall ${recall} now covers batch ${foreign.batch_id} of ${foreign.manufacturer_id}, so it is no longer a voluntary recall of your own product: a regulator now steers it, and only a regulator may ${action} it. Ask a regulator to, or initiate a new recall of your own batches.`,
        { recall, batch: foreign.batch_id },
      );
    }
  }
  if (row.state === 'closed') {
    throw new DomainError('RECALL_CLOSED', `Recall ${recall} was closed; it cannot be ${action === 'close' ? 'closed again' : `${action}ed`}. Initiate a new recall if more goods are affected.`, { recall });
  }
  return row;
}

/** Records one revision of the recall (the worker notifies holders of it: fanned_out_at stays NULL until then). */
export async function insertRevision(
  m: EntityManager,
  r: { recall: string; revision: number; kind: 'initiated' | 'amended' | 'closed'; seq: number; hash: string; at: Date; instructions: string },
): Promise<void> {
  await m.query(
    `INSERT INTO recall_revisions (recall_id, revision, kind, seq, event_hash, at, instructions, fanned_out_at) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)`,
    [r.recall, r.revision, r.kind, r.seq, r.hash, r.at, r.instructions],
  );
}
