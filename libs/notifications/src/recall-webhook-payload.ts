// What a recall notification says, on the wire (the JSON body POSTed to a participant's webhook) and in the
// SDK. Framework-free: the SDK imports this file, and the worker builds exactly this shape.

/**
 * Why a participant is told (it may have several):
 * - `custodian`: it holds affected goods (packs, or ingredient lots) now;
 * - `in_transit_recipient`: an open shipment of affected goods is addressed to it;
 * - `supplier`: it supplied (dispensed) packs of a recalled batch to patients;
 * - `manufacturer`: it made a recalled batch and did not initiate the recall itself;
 * - `previously_notified`: it was told of an earlier revision of the same recall (amendments and the close
 *   reach everyone told before, whether or not they still hold anything).
 */
export const NOTIFICATION_REASONS = ['custodian', 'in_transit_recipient', 'supplier', 'manufacturer', 'previously_notified'] as const;
export type NotificationReason = (typeof NOTIFICATION_REASONS)[number];

/** Which recall event a revision is: 1 is `initiated`, then one per `amended`, and finally `closed`. */
export type RecallRevisionKind = 'initiated' | 'amended' | 'closed';

/**
 * The body of a recall webhook, following the Standard Webhooks payload convention (`type`, `timestamp`,
 * `data`). It is the same bytes on every retry of one notification (only the `webhook-timestamp` header and
 * the signature change), so a receiver deduplicates by the `webhook-id` header.
 */
export interface RecallWebhookPayload {
  /** `recall.initiated`, `recall.amended` or `recall.closed`: the revision's event type. */
  type: `recall.${RecallRevisionKind}`;
  /** When the notification was stored (ISO 8601 UTC), not when this attempt was made. */
  timestamp: string;
  data: RecallNotificationData;
}

export interface RecallNotificationData {
  /** The stored notification's id (as in myRecallNotifications). */
  notificationId: string;
  /** The recall's asset id, `recall:<id>`. */
  recall: string;
  /** 1 = the initiation, then one per amendment, and the close: acknowledge this number. */
  revision: number;
  kind: RecallRevisionKind;
  /** The recall class in force at this revision (FDA 21 CFR 7.3(m): I most serious … III least). */
  class: 'I' | 'II' | 'III';
  reason: string;
  /** What holders must do, as of this revision. */
  instructions: string;
  /** Whether patients supplied a pack must be told (the pharmacy reaches them). */
  notifyPatients: boolean;
  /** For `closed`: why the recall was closed; otherwise null. */
  closeSummary: string | null;
  /** Every batch the recall covers as of this revision (`batch:<GTIN-14>/<lot>`), named or reached through an ingredient lot. */
  batches: string[];
  /** Every ingredient lot the recall names as of this revision. */
  ingredientLots: string[];
  /** The participant this notification is for (the receiver). */
  participant: string;
  reasons: NotificationReason[];
  /** Affected packs (and ingredient lots) it held, was about to receive, or supplied when the revision was fanned out. */
  affectedPacks: number;
  /** The signed recall event of this revision: its hash and ledger sequence number (check its inclusion with provenEvent). */
  eventHash: string;
  seq: number;
  /**
   * Where to acknowledge and where the ledger keys are: present only when the server's public address was
   * configured (PUBLIC_BASE_URL); otherwise left out, never the address the server happens to listen on.
   */
  links?: {
    /** The GraphQL endpoint: acknowledge with a signed recall.acknowledged, read myRecallNotifications. */
    graphql: string;
    /** The ledger's public keys, which verify this webhook's signature. */
    ledgerKeys: string;
  };
}
