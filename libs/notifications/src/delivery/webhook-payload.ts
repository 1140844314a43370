// The JSON a notification's webhook carries (RecallWebhookPayload), read from the stored rows. Everything in
// it is fixed once the revision is fanned out — the class is the one in force at that revision, read from the
// signed events — so every retry of one notification sends the same bytes.
import { EntityManager } from 'typeorm';
import type { NotificationReason, RecallRevisionKind, RecallWebhookPayload } from '../recall-webhook-payload';
import { recallScope } from '../fan-out/recall-fanout.store';

interface PayloadRow {
  id: string;
  recall_id: string;
  revision: number;
  participant_id: string;
  reasons: NotificationReason[];
  affected_packs: number;
  created_at: string;
  kind: RecallRevisionKind;
  instructions: string;
  seq: string;
  event_hash: string;
  reason: string;
  notify_patients: boolean;
  close_summary: string | null;
  class_then: 'I' | 'II' | 'III' | null;
  class_now: 'I' | 'II' | 'III';
}

/**
 * The payload of a stored notification, or null when there is no such notification. `baseUrl`: PUBLIC_BASE_URL
 * when it was set, else null — then `links` is left out (a bind address such as http://127.0.0.1:3000 would
 * send receivers nowhere).
 */
export async function webhookPayload(m: EntityManager, notificationId: string, baseUrl: string | null): Promise<RecallWebhookPayload | null> {
  const rows: PayloadRow[] = await m.query(
    `SELECT n.id, n.recall_id, n.revision, n.participant_id, n.reasons, n.affected_packs,
            to_char(n.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
            rr.kind, rr.instructions, rr.seq, rr.event_hash, r.reason, r.notify_patients,
            CASE WHEN rr.kind = 'closed' THEN r.close_summary END AS close_summary, r.class AS class_now,
            (SELECT e.body::jsonb -> 'data' ->> 'class' FROM recall_revisions x JOIN ledger_events e ON e.seq = x.seq
              WHERE x.recall_id = n.recall_id AND x.revision <= n.revision AND e.body::jsonb -> 'data' ->> 'class' IS NOT NULL
              ORDER BY x.revision DESC LIMIT 1) AS class_then
       FROM recall_notifications n
       JOIN recall_revisions rr ON rr.recall_id = n.recall_id AND rr.revision = n.revision
       JOIN recalls r ON r.id = n.recall_id
      WHERE n.id = $1`,
    [notificationId],
  );
  const row = rows[0];
  if (!row) return null;
  const revision = Number(row.revision);
  const scope = await recallScope(m, row.recall_id, revision);
  const base = baseUrl?.replace(/\/$/, '') ?? null;
  return {
    type: `recall.${row.kind}`,
    timestamp: row.created_at,
    data: {
      notificationId: String(row.id),
      recall: row.recall_id,
      revision,
      kind: row.kind,
      class: row.class_then ?? row.class_now,
      reason: row.reason,
      instructions: row.instructions,
      notifyPatients: row.notify_patients,
      closeSummary: row.close_summary,
      batches: scope.batches,
      ingredientLots: scope.ingredientLots,
      participant: row.participant_id,
      reasons: row.reasons,
      affectedPacks: Number(row.affected_packs),
      eventHash: row.event_hash.trim(),
      seq: Number(row.seq),
      ...(base === null ? {} : { links: { graphql: `${base}/graphql`, ledgerKeys: `${base}/.well-known/pharmatrace-ledger` } }),
    },
  };
}

/**
 * A notification stored with its webhook body already fixed (alert_notifications, written by libs/scan-alerts):
 * the body as stored and its webhook-id (`msg_<alert id>_<revision>_<participant>`, the same on every retry); null
 * when there is none.
 */
export async function storedWebhookMessage(m: EntityManager, notificationId: string): Promise<{ id: string; body: string } | null> {
  const rows: Array<{ alert_id: string; revision: number; participant_id: string; payload: unknown }> = await m.query(
    `SELECT alert_id, revision, participant_id, payload FROM alert_notifications WHERE id = $1`,
    [notificationId],
  );
  const row = rows[0];
  return row ? { id: `msg_${row.alert_id}_${row.revision}_${row.participant_id}`, body: JSON.stringify(row.payload) } : null;
}
