// What a caller reads of a verification alert, as the API answers it, the SDK returns it and the webhook carries
// it. Framework-free: the SDK imports these types.
import type { AlertKind, AlertStatus } from './rules/alert-facts';

export type { AlertKind, AlertStatus } from './rules/alert-facts';

export interface AlertUpdateView {
  /** 1 = raised (status new, no note), then one per life-cycle update. */
  revision: number;
  status: AlertStatus;
  note: string | null;
  /** Who made the update: a regulator or the product's manufacturer; null for the raise (the system). */
  byParticipantId: string | null;
  /** ISO 8601 UTC. */
  at: string;
}

export interface AlertView {
  /** `alert:<UUID>` */
  id: string;
  kind: AlertKind;
  /**
   * true: a copy of a genuine code is suspected (the pack verdict says SUSPECTED_CLONE while the alert is under
   * investigation; a new alert, not yet taken up by the manufacturer or a regulator, changes no verdict).
   */
  cloneSuspected: boolean;
  gtin: string;
  serial: string;
  lot: string | null;
  manufacturerId: string | null;
  status: AlertStatus;
  revision: number;
  /**
   * Counts, regions, time span (ISO 8601), devices counted (never device ids), newest scan ids; for
   * INACTIVE_PACK_DECOMMISSIONED the refusals and attempts — with the pharmacies' ids for regulators only.
   */
  evidence: Record<string, unknown>;
  raisedAt: string;
  updatedAt: string;
  updates: AlertUpdateView[];
}

/**
 * The body of a verification alert webhook (Standard Webhooks payload convention). `type` is
 * `verification_alert.raised` for revision 1, else `verification_alert.updated`; the same bytes on every retry.
 */
export interface AlertWebhookPayload {
  type: 'verification_alert.raised' | 'verification_alert.updated';
  /** When the notification was stored (ISO 8601 UTC). */
  timestamp: string;
  data: {
    /** The receiver. */
    participant: string;
    alert: Omit<AlertView, 'updates'> & { note: string | null };
  };
}
