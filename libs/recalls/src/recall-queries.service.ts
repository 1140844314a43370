// Read side of recalls: one recall with what it covers and its revisions, a viewer's page of recalls, and the
// open recalls of batches. Who may see which recall is AccessPolicy.canSeeRecall's decision (libs/access);
// this service only gathers the parties it decides on.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessPolicy, RecallParties, Viewer } from '@pharmatrace/access';
import { DomainError } from '@pharmatrace/errors';
import type { RecallClass } from './recall-events';
import type { RecallBatchView, RecallRevisionView, RecallSummaryRow, RecallView } from './recall-views';
import { RecallNotice, recallNoticesOfBatches } from './recall-facts';

interface RecallRow {
  id: string;
  class: RecallClass;
  reason: string;
  instructions: string;
  notify_patients: boolean;
  state: 'open' | 'closed';
  revision: number;
  initiator_id: string;
  initiated_seq: string;
  initiated_at: string;
  closed_at: string | null;
  close_summary: string | null;
  makers: string[];
  notified: boolean;
}

/** Most recalls one page lists (GitHub's GraphQL cap). */
export const MAX_RECALLS_PAGE = 100;

const ISO = (col: string): string => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The recall columns and, for viewer $V, the parties AccessPolicy.canSeeRecall decides on. */
const RECALL_SELECT = `SELECT r.id, r.class, r.reason, r.instructions, r.notify_patients, r.state, r.revision, r.initiator_id, r.initiated_seq,
         ${ISO('r.initiated_at')} AS initiated_at, ${ISO('r.closed_at')} AS closed_at, r.close_summary,
         ARRAY(SELECT DISTINCT b.manufacturer_id FROM recall_batches rb JOIN batches b ON b.id = rb.batch_id WHERE rb.recall_id = r.id) AS makers,
         EXISTS (SELECT 1 FROM recall_notifications n WHERE n.recall_id = r.id AND n.participant_id = $V) AS notified
    FROM recalls r`;

@Injectable()
export class RecallQueries {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessPolicy,
  ) {}

  private parties(r: RecallRow): RecallParties {
    return { initiatorId: r.initiator_id, batchManufacturerIds: r.makers, viewerNotified: r.notified };
  }

  /** The recall with its batches, ingredient lots and revisions; null when it does not exist or the viewer may not see it. */
  async recall(viewer: Viewer, id: string): Promise<RecallView | null> {
    const rows: RecallRow[] = await this.dataSource.query(`${RECALL_SELECT.replace(/\$V/g, '$2')} WHERE r.id = $1`, [id, viewer.participantId]);
    const row = rows[0];
    if (!row || !this.access.canSeeRecall(viewer, this.parties(row))) return null;
    const [batches, lots, revisions] = await Promise.all([
      this.dataSource.query(
        `SELECT batch_id AS "batchId", via_ingredient_lot AS "viaIngredientLot", added_revision AS "addedRevision" FROM recall_batches WHERE recall_id = $1 ORDER BY added_seq, batch_id`,
        [id],
      ) as Promise<RecallBatchView[]>,
      this.dataSource.query(
        `SELECT ingredient_lot_id AS "ingredientLotId", added_revision AS "addedRevision" FROM recall_ingredient_lots WHERE recall_id = $1 ORDER BY added_revision, ingredient_lot_id`,
        [id],
      ) as Promise<Array<{ ingredientLotId: string; addedRevision: number }>>,
      this.dataSource.query(
        `SELECT revision, kind, seq::int AS seq, event_hash AS "eventHash", ${ISO('at')} AS at, instructions FROM recall_revisions WHERE recall_id = $1 ORDER BY revision`,
        [id],
      ) as Promise<RecallRevisionView[]>,
    ]);
    return { ...toSummary(row), batches, ingredientLots: lots, revisions };
  }

  /**
   * The recalls the viewer may see, oldest first: `first` (1–100) after the recall `after` (an id from an
   * earlier page), optionally only `open` or `closed` ones. Regulators see all; a manufacturer those it
   * initiated or that cover its batches; anyone else those it was notified of (AccessPolicy.canSeeRecall).
   */
  async list(viewer: Viewer, opts: { first: number; after?: string | null; state?: string | null }): Promise<RecallSummaryRow[]> {
    if (!Number.isInteger(opts.first) || opts.first < 1 || opts.first > MAX_RECALLS_PAGE) {
      throw new DomainError('BAD_REQUEST', `first must be a whole number from 1 to ${MAX_RECALLS_PAGE}.`);
    }
    const state = opts.state ?? null;
    if (state !== null && state !== 'open' && state !== 'closed') throw new DomainError('BAD_REQUEST', 'state must be "open" or "closed" (or left out for both).');
    const regulator = this.access.isRegulator(viewer);
    // A narrowing for the database's sake only; every row is still decided by canSeeRecall below.
    const candidates = regulator
      ? 'TRUE'
      : `(r.initiator_id = $1
          OR EXISTS (SELECT 1 FROM recall_batches rb JOIN batches b ON b.id = rb.batch_id WHERE rb.recall_id = r.id AND b.manufacturer_id = $1)
          OR EXISTS (SELECT 1 FROM recall_notifications n WHERE n.recall_id = r.id AND n.participant_id = $1))`;
    const rows: RecallRow[] = await this.dataSource.query(
      `${RECALL_SELECT.replace(/\$V/g, '$1')}
        WHERE ${candidates}
          AND ($2::text IS NULL OR r.state = $2)
          AND r.initiated_seq > COALESCE((SELECT initiated_seq FROM recalls WHERE id = $3), 0)
        ORDER BY r.initiated_seq LIMIT $4`,
      [viewer.participantId, state, opts.after ?? null, opts.first],
    );
    return rows.filter((r) => this.access.canSeeRecall(viewer, this.parties(r))).map(toSummary);
  }

  /** The open recall of each of these batches that is in one, keyed by batch asset id. */
  async openRecallsOfBatches(batchIds: string[]): Promise<Map<string, RecallNotice>> {
    const all = await recallNoticesOfBatches(this.dataSource.manager, batchIds);
    return new Map([...all].filter(([, n]) => n.state === 'open'));
  }
}

function toSummary(r: RecallRow): RecallSummaryRow {
  return {
    id: r.id,
    class: r.class,
    reason: r.reason,
    instructions: r.instructions,
    notifyPatients: r.notify_patients,
    state: r.state,
    revision: r.revision,
    initiatorId: r.initiator_id,
    initiatedSeq: Number(r.initiated_seq),
    initiatedAt: r.initiated_at,
    closedAt: r.closed_at,
    closeSummary: r.close_summary,
  };
}
