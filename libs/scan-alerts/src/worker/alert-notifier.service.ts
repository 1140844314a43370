// Tells a verification alert's revision ('alert-notify' jobs, and a sweep of revisions no job announced) to the
// product's manufacturer and every active regulator: one alert_notifications row each, with the webhook body
// fixed then, and a webhook delivery (libs/notifications' machinery: signed, retried, visible) for each recipient
// that registered a webhook.
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@pharmatrace/config';
import { enqueueDeliveries } from '@pharmatrace/notifications';
import { QUEUE_BACKEND, QueueBackendHandle } from '@pharmatrace/queue';
import type { AlertWebhookPayload } from '../alert-views';
import { AlertStatus } from '../rules/alert-facts';
import { withoutPharmacies } from '../rules/inactive-pack-decommissioned.rule';
import { ALERT_COLUMNS, AlertRow, toAlertView } from '../alerts/alert-store';
import { enqueueAlertNotify } from '../alerts/alert-jobs';

/** A revision is swept when no notification was stored this long after it. */
const SWEEP_AFTER_SECONDS = 30;
const SWEEP_BATCH = 100;

@Injectable()
export class AlertNotifier {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(QUEUE_BACKEND) private readonly queues: QueueBackendHandle,
  ) {}

  /** Stores the notifications of one revision (once per recipient: a repeat adds nothing) and queues their deliveries; returns how many were new. */
  async notify(alertId: string, revision: number): Promise<number> {
    const deliveries = await this.dataSource.transaction(async (m) => {
      const rows: AlertRow[] = await m.query(`SELECT ${ALERT_COLUMNS} FROM verification_alerts WHERE id = $1`, [alertId]);
      const updates: Array<{ status: AlertStatus; note: string | null }> = await m.query(
        `SELECT status, note FROM verification_alert_updates WHERE alert_id = $1 AND revision = $2`,
        [alertId, revision],
      );
      const row = rows[0];
      const update = updates[0];
      if (!row || !update) return [];
      const recipients: Array<{ id: string; role: string }> = await m.query(
        `SELECT id, role FROM participants WHERE status = 'active' AND (role = 'regulator' OR id = $1) ORDER BY id`,
        [row.manufacturer_id],
      );
      const timestamp = new Date().toISOString();
      const { updates: _all, ...alert } = toAlertView(row, []);
      const stored: string[] = [];
      for (const r of recipients) {
        const payload: AlertWebhookPayload = {
          type: revision === 1 ? 'verification_alert.raised' : 'verification_alert.updated',
          timestamp,
          data: {
            participant: r.id,
            alert: {
              ...alert,
              // As of this revision: a later update is told by its own notification.
              revision,
              status: update.status,
              note: update.note,
              evidence: r.role === 'regulator' ? alert.evidence : withoutPharmacies(alert.evidence),
            },
          },
        };
        const inserted: Array<{ id: string }> = await m.query(
          `INSERT INTO alert_notifications (alert_id, revision, participant_id, payload) VALUES ($1, $2, $3, $4)
           ON CONFLICT (alert_id, revision, participant_id) DO NOTHING RETURNING id`,
          [alertId, revision, r.id, JSON.stringify(payload)],
        );
        if (inserted[0]) stored.push(String(inserted[0].id));
      }
      if (stored.length === 0) return [];
      const queued: Array<{ notification_id: string }> = await m.query(
        `INSERT INTO webhook_deliveries (notification_id, participant_id, url, state)
         SELECT n.id, n.participant_id, w.url, 'pending' FROM alert_notifications n JOIN webhook_endpoints w ON w.participant_id = n.participant_id
          WHERE n.id = ANY($1::bigint[]) RETURNING notification_id`,
        [stored],
      );
      return queued.map((q) => String(q.notification_id));
    });
    if (deliveries.length > 0) await enqueueDeliveries(this.queues, this.config, deliveries);
    return deliveries.length;
  }

  /** Queues again the revisions with no notification stored (their job was lost); returns how many. */
  async sweep(): Promise<number> {
    const rows: Array<{ alert_id: string; revision: number }> = await this.dataSource.query(
      `SELECT u.alert_id, u.revision FROM verification_alert_updates u
        WHERE u.at < now() - make_interval(secs => $1)
          AND NOT EXISTS (SELECT 1 FROM alert_notifications n WHERE n.alert_id = u.alert_id AND n.revision = u.revision)
        ORDER BY u.at LIMIT $2`,
      [SWEEP_AFTER_SECONDS, SWEEP_BATCH],
    );
    for (const r of rows) await enqueueAlertNotify(this.queues, r.alert_id, Number(r.revision));
    return rows.length;
  }
}
