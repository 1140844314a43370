// What the other domains ask of recalls inside their own transaction or snapshot: is this batch or ingredient
// lot recalled, and what does its recall say. Plain SQL on an EntityManager, importing no other domain, so
// custody, catalog, dispensing and verification can use it without a module cycle.
import { EntityManager } from 'typeorm';
import type { RecallClass } from './recall-events';

/** A recall as a scan, a refusal or a notice shows it. */
export interface RecallNotice {
  /** The recall's asset id, `recall:<id>`. */
  id: string;
  class: RecallClass;
  reason: string;
  /** What holders must do: the current instructions (an amendment replaces them). */
  instructions: string;
  notifyPatients: boolean;
  /** When the server accepted the initiation, ISO 8601 UTC. */
  initiatedAt: string;
  state: 'open' | 'closed';
}

interface NoticeRow extends RecallNotice {
  batch_id: string;
}

/**
 * The recall of each batch that is in one (open or closed: recalled is final), keyed by batch asset id. A
 * batch in several recalls shows the open one first, then the latest initiated.
 */
export async function recallNoticesOfBatches(m: EntityManager, batchIds: string[]): Promise<Map<string, RecallNotice>> {
  const ids = [...new Set(batchIds)];
  if (ids.length === 0) return new Map();
  const rows: NoticeRow[] = await m.query(
    `SELECT DISTINCT ON (rb.batch_id) rb.batch_id, r.id, r.class, r.reason, r.instructions, r.notify_patients AS "notifyPatients",
            to_char(r.initiated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "initiatedAt", r.state
       FROM recall_batches rb JOIN recalls r ON r.id = rb.recall_id
      WHERE rb.batch_id = ANY($1::text[])
      ORDER BY rb.batch_id, (r.state = 'open') DESC, r.initiated_seq DESC`,
    [ids],
  );
  return new Map(rows.map(({ batch_id, ...notice }) => [batch_id, notice]));
}

/** The recall (asset id) naming each of these ingredient lots, keyed by ingredient lot asset id. */
export async function recallsOfIngredientLots(m: EntityManager, lotIds: string[]): Promise<Map<string, string>> {
  if (lotIds.length === 0) return new Map();
  const rows: Array<{ ingredient_lot_id: string; recall_id: string }> = await m.query(
    `SELECT DISTINCT ON (ingredient_lot_id) ingredient_lot_id, recall_id FROM recall_ingredient_lots
      WHERE ingredient_lot_id = ANY($1::text[]) ORDER BY ingredient_lot_id, recall_id`,
    [lotIds],
  );
  return new Map(rows.map((r) => [r.ingredient_lot_id, r.recall_id]));
}

/** The sentence every refusal of a recalled pack carries: the recall, its class and what to do. */
export function recallSentence(n: RecallNotice): string {
  return `its batch is under ${n.state === 'closed' ? 'a closed' : 'an open'} class ${n.class} recall (${n.id}: ${n.reason}). Instructions: ${n.instructions}`;
}
