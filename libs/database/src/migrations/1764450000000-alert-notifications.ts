import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Verification alerts told to the product's manufacturer and the regulators (libs/scan-alerts): one row per
 * alert revision and recipient, with the webhook body fixed when stored. Their webhooks reuse webhook_deliveries
 * (libs/notifications): the ids come from the recall notifications' sequence, so one notification id names one
 * delivery whichever feature stored it, and the delivery row no longer requires a recall notification.
 */
export class AlertNotifications1764450000000 implements MigrationInterface {
  name = 'AlertNotifications1764450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE alert_notifications (
        id bigint PRIMARY KEY DEFAULT nextval('recall_notifications_id_seq'),
        alert_id text NOT NULL REFERENCES verification_alerts (id),
        revision integer NOT NULL,
        participant_id text NOT NULL REFERENCES participants (id),
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (alert_id, revision, participant_id)
      );
      CREATE INDEX alert_notifications_participant ON alert_notifications (participant_id, id);
      ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_notification_id_fkey;
      CREATE INDEX pack_scans_unchecked ON pack_scans (scanned_at) WHERE checked_at IS NULL;
      CREATE INDEX verification_alerts_status ON verification_alerts (status, raised_at DESC);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX verification_alerts_status;
      DROP INDEX pack_scans_unchecked;
      DELETE FROM webhook_deliveries w WHERE NOT EXISTS (SELECT 1 FROM recall_notifications n WHERE n.id = w.notification_id);
      ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_notification_id_fkey FOREIGN KEY (notification_id) REFERENCES recall_notifications (id);
      DROP TABLE alert_notifications;
    `);
  }
}
