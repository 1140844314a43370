// Recall progress: where the packs of a recall's batches stand now (still in the chain, on their way back,
// returned, never shipped, destroyed, supplied before the recall), by custodian, and whether each holder was
// notified and acknowledged. Reads the recalls engineer's tables (recalls, recall_batches) and the notifications
// engineer's (recall_notifications, webhook_deliveries) by SQL, joining them, never copying them.
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@pharmatrace/errors';
import { DIRECT_PACKS, DIRECT_SHIPMENTS_CTE, type RecallProgressScope, reasonsShownToManufacturer } from '@pharmatrace/access';
import { affectedPacksCte } from './affected-packs';
import { PackGroup, ParticipantName, progressByCustodian } from './recall-progress-buckets';
import { AggregatedHolders, HolderNotification, MAX_PROGRESS_HOLDERS, RecallProgress } from './trace-views';

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
    const view = scope.kind === 'all' ? null : { self: scope.self, customers: new Set(scope.shippedTo.keys()) };
    const groups = await this.groups(m, batches, scope.kind === 'all' ? new Map() : scope.shippedTo);
    const names = await this.names(m, [...new Set(groups.map((g) => g.custodianId))]);
    const { totals, byCustodian, byCustodianOmitted } = progressByCustodian(groups, names, view);
    const named = scope.kind === 'all' ? null : scope.named;
    const { holders, omitted: holdersOmitted } = await this.holders(m, recallId, named);
    // Everyone told but the manufacturer itself, its direct customers included: counting only those beyond them
    // would tell, beside the pack lines, whether packs it did not ship sit with a named customer.
    const elsewhereHolders = scope.kind === 'all' ? null : await this.elsewhereHolders(m, recallId, [scope.self]);
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
      byCustodianOmitted,
      holders,
      holdersOmitted,
      elsewhereHolders,
    };
  }

  /**
   * Affected packs grouped by state, custodian, open-shipment recipient and manufacturer, whether they had
   * left their manufacturer (leftManufacturer), and whether the manufacturer shipped them to their custodian
   * itself (`shippedTo`, from AccessPolicy). One aggregate, no query per pack.
   */
  private async groups(m: EntityManager, batches: string[], shippedTo: ReadonlyMap<string, readonly string[]>): Promise<PackGroup[]> {
    if (batches.length === 0) return [];
    const customers: string[] = [];
    const packs: string[] = [];
    for (const [customer, ids] of shippedTo) {
      for (const id of ids) {
        customers.push(customer);
        packs.push(id);
      }
    }
    const left = await this.leftManufacturer(m, batches);
    const rows: Array<{ state: string; custodian_id: string; transit_to: string | null; manufacturer_id: string; left_manufacturer: boolean; shipped_to_custodian: boolean; packs: string }> =
      await m.query(
        `${affectedPacksCte('$1')}
         SELECT a.state, a.custodian_id, s.to_id AS transit_to, b.manufacturer_id,
                (a.custodian_id = b.manufacturer_id AND s.id IS NULL AND l.id IS NOT NULL) AS left_manufacturer,
                (d.pack IS NOT NULL) AS shipped_to_custodian, count(*) AS packs
           FROM affected a JOIN batches b ON b.id = a.batch_id
           LEFT JOIN shipments s ON s.id = a.top_shipment AND s.state = 'in_transit'
           LEFT JOIN (SELECT DISTINCT id FROM unnest($4::text[]) AS l(id)) l ON l.id = a.id
           LEFT JOIN (SELECT DISTINCT x.customer, x.pack FROM unnest($2::text[], $3::text[]) AS x(customer, pack)) d ON d.pack = a.id AND d.customer = a.custodian_id
          GROUP BY 1, 2, 3, 4, 5, 6`,
        [batches, customers, packs, left],
      );
    return rows.map((r) => ({
      state: r.state,
      custodianId: r.custodian_id,
      transitTo: r.transit_to,
      manufacturerId: r.manufacturer_id,
      leftManufacturer: r.left_manufacturer,
      shippedToCustodian: r.shipped_to_custodian,
      packs: Number(r.packs),
    }));
  }

  /**
   * Packs of `batches` that ever left their manufacturer: the pack, or a container holding it at the time, in a
   * shipment from the batch's manufacturer (in transit or received). The walk down from the manufacturers'
   * shipments that AccessPolicy's direct customers use (DIRECT_SHIPMENTS_CTE), not a second definition; it
   * starts from the shipments table, so the planner's estimates hold (a walk up from each pack held, through
   * CTEs, was misestimated into nested loops: 2.6 s for 20,000 packs, against 0.1 s).
   */
  private async leftManufacturer(m: EntityManager, batches: string[]): Promise<string[]> {
    const rows: Array<{ packs: string[] | null }> = await m.query(
      `${DIRECT_SHIPMENTS_CTE}
       SELECT array_agg(DISTINCT i.id) AS packs FROM ${DIRECT_PACKS} JOIN batches b ON b.id = i.batch_id AND b.manufacturer_id = d.from_id`,
      [await this.manufacturersOf(m, batches), batches],
    );
    return rows[0]?.packs ?? [];
  }

  private async manufacturersOf(m: EntityManager, batches: string[]): Promise<string[]> {
    const rows: Array<{ manufacturer_id: string }> = await m.query('SELECT DISTINCT manufacturer_id FROM batches WHERE id = ANY($1::text[])', [batches]);
    return rows.map((r) => r.manufacturer_id);
  }

  private async names(m: EntityManager, ids: string[]): Promise<Map<string, ParticipantName>> {
    if (ids.length === 0) return new Map();
    const rows: Array<{ id: string; legal_name: string; gln: string }> = await m.query('SELECT id, legal_name, gln FROM participants WHERE id = ANY($1::text[])', [ids]);
    return new Map(rows.map((r) => [r.id, { name: r.legal_name, gln: r.gln }]));
  }

  /**
   * Each notified participant's latest notification, its acknowledgement and its webhook delivery: only those
   * in `named` when given; the first MAX_PROGRESS_HOLDERS, those that have not acknowledged first (then by the
   * packs they were told of, then by participant id), and how many more there are.
   */
  private async holders(m: EntityManager, recallId: string, named: string[] | null): Promise<{ holders: HolderNotification[]; omitted: number }> {
    const rows: Array<HolderRow & { listed: string }> = await m.query(
      `${LATEST_NOTIFICATIONS}
       SELECT l.participant_id, p.legal_name AS name, l.revision, l.reasons, l.created_at, l.acknowledged_at, l.webhook_state, l.attempts,
              count(*) OVER () AS listed
         FROM latest l JOIN participants p ON p.id = l.participant_id
        WHERE $2::text[] IS NULL OR l.participant_id = ANY($2::text[])
        ORDER BY l.acknowledged_at IS NOT NULL, l.affected_packs DESC, l.participant_id
        LIMIT $3`,
      [recallId, named, MAX_PROGRESS_HOLDERS],
    );
    const holders = rows.map((r) => ({
      participantId: r.participant_id,
      name: r.name,
      revision: r.revision,
      reasons: named === null ? r.reasons : reasonsShownToManufacturer(r.reasons),
      notifiedAt: new Date(r.created_at).toISOString(),
      acknowledgedAt: r.acknowledged_at ? new Date(r.acknowledged_at).toISOString() : null,
      webhookState: r.webhook_state,
      webhookAttempts: r.attempts,
    }));
    return { holders, omitted: rows.length === 0 ? 0 : Number(rows[0].listed) - rows.length };
  }

  /** Holders beyond `named` (a manufacturer's view), counted and never named. */
  private async elsewhereHolders(m: EntityManager, recallId: string, named: string[]): Promise<AggregatedHolders> {
    const [row]: Array<{ holders: string; acknowledged: string }> = await m.query(
      `${LATEST_NOTIFICATIONS}
       SELECT count(*) AS holders, count(l.acknowledged_at) AS acknowledged FROM latest l WHERE NOT (l.participant_id = ANY($2::text[]))`,
      [recallId, named],
    );
    return { holders: Number(row.holders), acknowledged: Number(row.acknowledged) };
  }
}

/** Each participant's latest notification of recall $1, with its webhook delivery. */
const LATEST_NOTIFICATIONS = `WITH latest AS (
    SELECT DISTINCT ON (n.participant_id) n.participant_id, n.revision, n.reasons, n.affected_packs, n.created_at, n.acknowledged_at,
           w.state AS webhook_state, w.attempts
      FROM recall_notifications n LEFT JOIN webhook_deliveries w ON w.notification_id = n.id
     WHERE n.recall_id = $1
     ORDER BY n.participant_id, n.revision DESC
  )`;
