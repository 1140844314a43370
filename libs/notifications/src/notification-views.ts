// What a participant or a regulator reads of recall notifications, as the API answers and the SDK returns it.
// Framework-free: the SDK imports these types, and the queries build exactly these shapes.
import type { NotificationReason, RecallRevisionKind } from './recall-webhook-payload';

/** none: the participant had no webhook when the revision was fanned out. */
export type WebhookDeliveryState = 'none' | 'pending' | 'delivered' | 'failed';

export interface RecallNotificationView {
  id: string;
  recall: string;
  revision: number;
  kind: RecallRevisionKind;
  class: 'I' | 'II' | 'III';
  reason: string;
  instructions: string;
  notifyPatients: boolean;
  reasons: NotificationReason[];
  affectedPacks: number;
  notifiedAt: string;
  acknowledgedAt: string | null;
  acknowledgedHash: string | null;
  webhookState: WebhookDeliveryState;
  webhookAttempts: number;
}

export interface RecallDeliveryView {
  /** The notification's id: page on with `after`. */
  id: string;
  participantId: string;
  participantName: string;
  revision: number;
  kind: RecallRevisionKind;
  reasons: NotificationReason[];
  /** null in a manufacturer's view of a direct customer (it sees what it shipped in recallProgress). */
  affectedPacks: number | null;
  notifiedAt: string;
  acknowledgedAt: string | null;
  acknowledgedHash: string | null;
  webhookState: WebhookDeliveryState;
  webhookAttempts: number;
  webhookLastStatus: number | null;
  webhookLastError: string | null;
  webhookLastAttemptAt: string | null;
  webhookDeliveredAt: string | null;
  webhookFailedAt: string | null;
}

/**
 * The notified participants a recall's initiator may not see one by one (everyone beyond itself and its direct
 * customers), as one line: each counted once, by its latest notification (of `revision`, when given).
 */
export interface ElsewhereDeliveries {
  holders: number;
  acknowledged: number;
  delivered: number;
  failed: number;
  pending: number;
}
