// Verification alerts as a manufacturer's or regulator's system reads and works them (libs/scan-alerts): list,
// read one, and move it along new → under_investigation → closed with a note.
import type { AlertKind, AlertStatus, AlertView } from '@pharmatrace/scan-alerts/alert-views';
import { PharmaTraceClient } from './pharmatrace-client';

export type { AlertKind, AlertStatus, AlertView, AlertUpdateView, AlertWebhookPayload } from '@pharmatrace/scan-alerts/alert-views';

const ALERT_FIELDS = 'id kind cloneSuspected gtin serial lot manufacturerId status revision evidence raisedAt updatedAt updates { revision status note byParticipantId at }';

export interface AlertListFilter {
  status?: AlertStatus;
  kind?: AlertKind;
  /** GTIN-14 */
  gtin?: string;
  /** 1–100 (default 50) */
  first?: number;
  /** The last alert id of the previous page. */
  after?: string;
}

/** The alerts you may see, newest first (regulators: all; a manufacturer: those on its products). */
export async function verificationAlerts(client: PharmaTraceClient, filter: AlertListFilter = {}): Promise<AlertView[]> {
  const r = await client.query<{ verificationAlerts: AlertView[] }>(
    `query($first: Int, $after: String, $status: String, $kind: String, $gtin: String) {
       verificationAlerts(first: $first, after: $after, status: $status, kind: $kind, gtin: $gtin) { ${ALERT_FIELDS} } }`,
    { first: filter.first ?? 50, after: filter.after ?? null, status: filter.status ?? null, kind: filter.kind ?? null, gtin: filter.gtin ?? null },
  );
  return r.verificationAlerts;
}

/** One alert; throws UNKNOWN_ALERT when it does not exist or is not yours to see. */
export async function verificationAlert(client: PharmaTraceClient, id: string): Promise<AlertView> {
  const r = await client.query<{ verificationAlert: AlertView }>(`query($id: ID!) { verificationAlert(id: $id) { ${ALERT_FIELDS} } }`, { id });
  return r.verificationAlert;
}

/**
 * Moves an alert to `status` (under_investigation or closed; closing needs `note`). Throws FORBIDDEN_ROLE,
 * UNKNOWN_ALERT, ALERT_TRANSITION_INVALID, ALERT_NOTE_REQUIRED or INVALID_ALERT_NOTE; nothing is stored then.
 */
export async function updateVerificationAlert(client: PharmaTraceClient, id: string, status: AlertStatus, note?: string | null): Promise<AlertView> {
  const r = await client.query<{ updateVerificationAlert: AlertView }>(
    `mutation($id: ID!, $status: String!, $note: String) { updateVerificationAlert(id: $id, status: $status, note: $note) { ${ALERT_FIELDS} } }`,
    { id, status, note: note ?? null },
  );
  return r.updateVerificationAlert;
}
