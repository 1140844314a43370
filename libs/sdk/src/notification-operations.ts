// Recall notifications as a participant's systems read them: the webhook it registers (where the worker POSTs
// each notification, docs/webhooks.md), its own stored notifications, and, for a regulator or the recall's
// initiator, who has been told of a recall and whether each webhook arrived.
import { PharmaTraceClient } from './pharmatrace-client';

export interface WebhookView {
  url: string;
  registeredAt: string;
}

export type { RecallDeliveryView, RecallNotificationView, WebhookDeliveryState } from '@pharmatrace/notifications/notification-views';
import type { ElsewhereDeliveries as ElsewhereDeliveriesView, RecallDeliveryView, RecallNotificationView } from '@pharmatrace/notifications/notification-views';

const WEBHOOK_FIELDS = 'url registeredAt';
const NOTIFICATION_FIELDS =
  'id recall revision kind class reason instructions notifyPatients reasons affectedPacks notifiedAt acknowledgedAt acknowledgedHash webhookState webhookAttempts';
const DELIVERY_FIELDS =
  'id participantId participantName revision kind reasons affectedPacks notifiedAt acknowledgedAt acknowledgedHash webhookState webhookAttempts webhookLastStatus webhookLastError webhookLastAttemptAt webhookDeliveredAt webhookFailedAt';

/**
 * Registers (or replaces) the caller's webhook. Refused with WEBHOOK_URL_INVALID (nothing stored) unless it is
 * an absolute http(s) URL of at most 2,048 characters, without credentials, on a public host.
 */
export async function registerWebhook(client: PharmaTraceClient, url: string): Promise<WebhookView> {
  const r = await client.query<{ registerWebhook: WebhookView }>(`mutation($u: String!) { registerWebhook(url: $u) { ${WEBHOOK_FIELDS} } }`, { u: url });
  return r.registerWebhook;
}

/** Removes the caller's webhook; true when there was one. Notifications are still stored and listed. */
export async function removeWebhook(client: PharmaTraceClient): Promise<boolean> {
  return (await client.query<{ removeWebhook: boolean }>('mutation { removeWebhook }')).removeWebhook;
}

export async function myWebhook(client: PharmaTraceClient): Promise<WebhookView | null> {
  return (await client.query<{ myWebhook: WebhookView | null }>(`query { myWebhook { ${WEBHOOK_FIELDS} } }`)).myWebhook;
}

/** The caller's own notifications, newest first; `first` ≤ 100, `after` the last id of the previous page. */
export async function myRecallNotifications(client: PharmaTraceClient, options: { first?: number; after?: string } = {}): Promise<RecallNotificationView[]> {
  const r = await client.query<{ myRecallNotifications: RecallNotificationView[] }>(
    `query($f: Int, $a: String) { myRecallNotifications(first: $f, after: $a) { ${NOTIFICATION_FIELDS} } }`,
    { f: options.first ?? 100, a: options.after ?? null },
  );
  return r.myRecallNotifications;
}

/**
 * Every participant told of a recall, per revision, with its acknowledgement and webhook delivery: for
 * regulators all of them; for the recall's initiator itself and its direct customers (the rest:
 * recallDeliveriesElsewhere); anyone else gets UNKNOWN_RECALL, as for a recall that does not exist.
 */
export async function recallDeliveries(
  client: PharmaTraceClient,
  recall: string,
  options: { first?: number; after?: string; revision?: number } = {},
): Promise<RecallDeliveryView[]> {
  const r = await client.query<{ recallDeliveries: RecallDeliveryView[] }>(
    `query($r: String!, $f: Int, $a: String, $v: Int) { recallDeliveries(recall: $r, first: $f, after: $a, revision: $v) { ${DELIVERY_FIELDS} } }`,
    { r: recall, f: options.first ?? 100, a: options.after ?? null, v: options.revision ?? null },
  );
  return r.recallDeliveries;
}

/** Those told of a recall beyond the initiator's direct customers, as one line (null for a regulator, who sees every row). */
export type { ElsewhereDeliveries as ElsewhereDeliveriesView } from '@pharmatrace/notifications/notification-views';

/** recallDeliveries' aggregated line for the recall's initiator; UNKNOWN_RECALL for anyone but it and regulators. */
export async function recallDeliveriesElsewhere(client: PharmaTraceClient, recall: string, options: { revision?: number } = {}): Promise<ElsewhereDeliveriesView | null> {
  const r = await client.query<{ recallDeliveriesElsewhere: ElsewhereDeliveriesView | null }>(
    'query($r: String!, $v: Int) { recallDeliveriesElsewhere(recall: $r, revision: $v) { holders acknowledged delivered failed pending } }',
    { r: recall, v: options.revision ?? null },
  );
  return r.recallDeliveriesElsewhere;
}
