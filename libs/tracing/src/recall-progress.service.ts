// Recall progress: where the packs of a recall's batches stand now (still in the chain, on their way back,
// returned, destroyed, supplied before the recall), by custodian, and whether each holder was notified and
// acknowledged. Reads the recalls engineer's tables (recalls, recall_batches) and the notifications
// engineer's (recall_notifications, webhook_deliveries) by SQL, joining them, never copying them.
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@pharmatrace/errors';
import type { RecallProgressScope } from '@pharmatrace/access';
import { affectedPacksCte } from './affected-packs';
import { PackGroup, ParticipantName, progressByCustodian } from './recall-progress-buckets';
import { AggregatedHolders, HolderNotification, RecallProgress } from './trace-views';

/** `recall:<id>` as given, or with the prefix added to a bare id. */
export const recallIdOf = (input: string): string => (input.startsWith('recall:') ? input : `recall:${input}`);

interface RecallRow {
  id: string;
  class: string;
  state: string;
  reason: string;
  initiator_id: string;
  initiated_at: Date;
  batches: string[] | null;
}

interface HolderRow {
  participant_id: string;
  name: string;
  revision: number;
  reasons: string[];
  created_at: Date;
  acknowledged_at: Date | null;
  webhook_state: string | null;
  attempts: number | null;
}

@Injectable()
export class RecallProgressService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The progress of `recallId` within `scope` (AccessPolicy.recallProgressScope). UNKNOWN_RECALL when there
   * is no such recall. Counts are of packs (EU FMD unique identifiers), now.
   */
  async progress(recallId: string, scope: RecallProgressScope): Promise<RecallProgress> {
    const m = this.dataSource.manager;
    const [recall]: RecallRow[] = await m.query(
      `SELECT r.id, r.class, r.state, r.reason, r.initiator_id, r.initiated_at,
              (SELECT array_agg(rb.batch_id ORDER BY rb.batch_id) FROM recall_batches rb WHERE rb.recall_id = r.id) AS batches
         FROM recalls r WHERE r.id = $1`,
      [recallId],
    );
    if (!recall) throw new DomainError('UNKNOWN_RECALL', `No recall ${recallId} exists.`, { recall: recallId });
    const batches = scope.kind === 'all' ? (recall.batches ?? []) : scope.batchIds;
    const named = scope.kind === 'all' ? null : new Set(scope.named);
    const groups = await this.groups(m, batches);
    const names = await this.names(m, [...new Set(groups.map((g) => g.custodianId))]);
    const { totals, byCustodian } = progressByCustodian(groups, names, named);
    const holders = await this.holders(m, recallId);
    let elsewhereHolders: AggregatedHolders | null = null;
    let visible = holders;
    if (named !== null) {
      visible = holders.filter((h) => named.has(h.participantId));
      const hidden = holders.filter((h) => !named.has(h.participantId));
      elsewhereHolders = { holders: hidden.length, acknowledged: hidden.filter((h) => h.acknowledgedAt !== null).length };
    }
    return {
      recallId: recall.id,
      class: recall.class,
      state: recall.state,
      reason: recall.reason,
      initiatorId: recall.initiator_id,
      initiatedAt: new Date(recall.initiated_at).toISOString(),
      batches,
      totals,
      byCustodian,
      holders: visible,
      elsewhereHolders,
    };
  }

  /** Affected packs grouped by state, custodian, open-shipment recipient and manufacturer: one aggregate. */
  private async groups(m: EntityManager, batches: string[]): Promise<PackGroup[]> {
    if (batches.length === 0) return [];
    const rows: Array<{ state: string; custodian_id: string; transit_to: string | null; manufacturer_id: string; packs: string }> = await m.query(
      `${affectedPacksCte('$1')}
       SELECT a.state, a.custodian_id, s.to_id AS transit_to, b.manufacturer_id, count(*) AS packs
         FROM affected a JOIN batches b ON b.id = a.batch_id
         LEFT JOIN shipments s ON s.id = a.top_shipment AND s.state = 'in_transit'
        GROUP BY a.state, a.custodian_id, s.to_id, b.manufacturer_id`,
      [batches],
    );
    return rows.map((r) => ({ state: r.state, custodianId: r.custodian_id, transitTo: r.transit_to, manufacturerId: r.manufacturer_id, packs: Number(r.packs) }));
  }

  private async names(m: EntityManager, ids: string[]): Promise<Map<string, ParticipantName>> {
    if (ids.length === 0) return new Map();
    const rows: Array<{ id: string; legal_name: string; gln: string }> = await m.query('SELECT id, legal_name, gln FROM participants WHERE id = ANY($1::text[])', [ids]);
    return new Map(rows.map((r) => [r.id, { name: r.legal_name, gln: r.gln }]));
  }

  /** Each notified participant's latest notification, its acknowledgement and its webhook delivery. */
  private async holders(m: EntityManager, recallId: string): Promise<HolderNotification[]> {
    const rows: HolderRow[] = await m.query(
      `SELECT DISTINCT ON (n.participant_id) n.participant_id, p.legal_name AS name, n.revision, n.reasons, n.created_at, n.acknowledged_at,
              w.state AS webhook_state, w.attempts
         FROM recall_notifications n JOIN participants p ON p.id = n.participant_id
         LEFT JOIN webhook_deliveries w ON w.notification_id = n.id
        WHERE n.recall_id = $1
        ORDER BY n.participant_id, n.revision DESC`,
      [recallId],
    );
    return rows.map((r) => ({
      participantId: r.participant_id,
      name: r.name,
      revision: r.revision,
      reasons: r.reasons,
      notifiedAt: new Date(r.created_at).toISOString(),
      acknowledgedAt: r.acknowledged_at ? new Date(r.acknowledged_at).toISOString() : null,
      webhookState: r.webhook_state,
      webhookAttempts: r.attempts,
    }));
  }
}
