// The read side of notifications: a participant's own notifications, and per recall who was told, whether
// they acknowledged, and what became of each webhook. Who may ask is AccessPolicy's call (the resolver asks
// it); these queries only read.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { reasonsShownToManufacturer } from '@pharmatrace/access';
import type { NotificationReason } from '../recall-webhook-payload';

/** Page sizes of both lists (GitHub's cap). */
export const MAX_NOTIFICATIONS_PAGE = 100;

export type { ElsewhereDeliveries, WebhookDeliveryState } from '../notification-views';
export type { RecallNotificationView as RecallNotificationRecord, RecallDeliveryView as RecallDeliveryRecord } from '../notification-views';
import type { ElsewhereDeliveries, RecallDeliveryView as RecallDeliveryRecord, RecallNotificationView as RecallNotificationRecord } from '../notification-views';

const iso = (column: string, as: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "${as}"`;

const NOTIFICATION_COLUMNS = `n.id::text AS id, n.revision, n.reasons, n.affected_packs AS "affectedPacks", rr.kind,
  ${iso('n.created_at', 'notifiedAt')}, ${iso('n.acknowledged_at', 'acknowledgedAt')}, rtrim(n.acknowledged_hash) AS "acknowledgedHash",
  COALESCE(d.state, 'none') AS "webhookState", COALESCE(d.attempts, 0) AS "webhookAttempts"`;

@Injectable()
export class RecallNotificationQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** The participant's own notifications, newest first; `after`: the id of the last one of the previous page. */
  async forParticipant(participantId: string, first: number, after: string | null): Promise<RecallNotificationRecord[]> {
    return this.dataSource.query(
      `SELECT ${NOTIFICATION_COLUMNS}, n.recall_id AS recall, r.class, r.reason, rr.instructions, r.notify_patients AS "notifyPatients"
         FROM recall_notifications n
         JOIN recall_revisions rr ON rr.recall_id = n.recall_id AND rr.revision = n.revision
         JOIN recalls r ON r.id = n.recall_id
         LEFT JOIN webhook_deliveries d ON d.notification_id = n.id
        WHERE n.participant_id = $1 AND ($2::bigint IS NULL OR n.id < $2::bigint)
        ORDER BY n.id DESC LIMIT $3`,
      [participantId, after, first],
    );
  }

  /** Who initiated the recall and its batches, or null when there is no such recall (AccessPolicy decides who may read its deliveries). */
  async partiesOf(recallId: string): Promise<{ initiatorId: string; batchIds: string[] } | null> {
    const rows: Array<{ initiatorId: string; batchIds: string[] }> = await this.dataSource.query(
      `SELECT r.initiator_id AS "initiatorId", COALESCE((SELECT array_agg(rb.batch_id ORDER BY rb.batch_id) FROM recall_batches rb WHERE rb.recall_id = r.id), '{}') AS "batchIds"
         FROM recalls r WHERE r.id = $1`,
      [recallId],
    );
    return rows[0] ?? null;
  }

  /**
   * The recall's notifications (optionally of one revision), oldest first; `after`: the last id of the previous
   * page. `named`: only these participants' (AccessPolicy.recallDeliveriesScope), or null for all.
   */
  async deliveries(recallId: string, first: number, after: string | null, revision: number | null, named: string[] | null, viewerId: string | null = null): Promise<RecallDeliveryRecord[]> {
    const rows: RecallDeliveryRecord[] = await this.dataSource.query(
      `SELECT ${NOTIFICATION_COLUMNS}, n.participant_id AS "participantId", p.legal_name AS "participantName",
              d.last_status AS "webhookLastStatus", d.last_error AS "webhookLastError", ${iso('d.last_attempt_at', 'webhookLastAttemptAt')},
              ${iso('d.delivered_at', 'webhookDeliveredAt')}, ${iso('d.failed_at', 'webhookFailedAt')}
         FROM recall_notifications n
         JOIN recall_revisions rr ON rr.recall_id = n.recall_id AND rr.revision = n.revision
         JOIN participants p ON p.id = n.participant_id
         LEFT JOIN webhook_deliveries d ON d.notification_id = n.id
        WHERE n.recall_id = $1 AND ($2::bigint IS NULL OR n.id > $2::bigint) AND ($3::int IS NULL OR n.revision = $3::int)
          AND ($5::text[] IS NULL OR n.participant_id = ANY($5::text[]))
        ORDER BY n.id LIMIT $4`,
      [recallId, after, revision, first, named],
    );
    // A manufacturer's view of its direct customers: not whether they dispensed, nor how many packs they hold
    // from others (EU FMD art. 38); recallProgress counts what it shipped them.
    if (named === null) return rows;
    return rows.map((r) => (r.participantId === viewerId ? r : { ...r, reasons: reasonsShownToManufacturer(r.reasons) as NotificationReason[], affectedPacks: null }));
  }

  /** Everyone notified of the recall (of `revision`, when given) but not in `named`, aggregated (ElsewhereDeliveries). */
  async deliveriesElsewhere(recallId: string, revision: number | null, named: string[]): Promise<ElsewhereDeliveries> {
    const [row]: Array<Record<keyof ElsewhereDeliveries, string>> = await this.dataSource.query(
      `WITH latest AS (
         SELECT DISTINCT ON (n.participant_id) n.participant_id, n.acknowledged_at, d.state
           FROM recall_notifications n LEFT JOIN webhook_deliveries d ON d.notification_id = n.id
          WHERE n.recall_id = $1 AND ($2::int IS NULL OR n.revision = $2::int) AND NOT (n.participant_id = ANY($3::text[]))
          ORDER BY n.participant_id, n.revision DESC)
       SELECT count(*) AS holders, count(acknowledged_at) AS acknowledged, count(*) FILTER (WHERE state = 'delivered') AS delivered,
              count(*) FILTER (WHERE state = 'failed') AS failed, count(*) FILTER (WHERE state = 'pending') AS pending
         FROM latest`,
      [recallId, revision, named],
    );
    return { holders: Number(row.holders), acknowledged: Number(row.acknowledged), delivered: Number(row.delivered), failed: Number(row.failed), pending: Number(row.pending) };
  }
}
