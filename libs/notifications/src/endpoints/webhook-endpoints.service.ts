// Where a participant wants its recall notifications POSTed: one webhook per participant, registered,
// replaced and removed by the participant itself (not a ledger event: it is delivery configuration, not a
// supply-chain fact). A refused URL stores nothing (WEBHOOK_URL_INVALID).
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@pharmatrace/config';
import { validateWebhookUrl } from './webhook-url';

export interface WebhookEndpoint {
  participantId: string;
  url: string;
  /** ISO 8601 UTC. */
  registeredAt: string;
}

const COLUMNS = `participant_id AS "participantId", url, to_char(registered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "registeredAt"`;

@Injectable()
export class WebhookEndpoints {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async get(participantId: string): Promise<WebhookEndpoint | null> {
    const rows: WebhookEndpoint[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM webhook_endpoints WHERE participant_id = $1`, [participantId]);
    return rows[0] ?? null;
  }

  /**
   * Registers or replaces the participant's webhook (throws WEBHOOK_URL_INVALID, storing nothing). Deliveries
   * still pending go to the new URL from their next attempt: fixing a broken receiver is how they arrive.
   */
  async register(participantId: string, rawUrl: string): Promise<WebhookEndpoint> {
    const url = await validateWebhookUrl(rawUrl, { allowPrivateNetworks: this.config.webhooks.allowPrivateNetworks, timeoutMs: this.config.webhooks.timeoutMs });
    return this.dataSource.transaction(async (m) => {
      const rows: WebhookEndpoint[] = await m.query(
        `INSERT INTO webhook_endpoints (participant_id, url) VALUES ($1, $2)
         ON CONFLICT (participant_id) DO UPDATE SET url = EXCLUDED.url, registered_at = now()
         RETURNING ${COLUMNS}`,
        [participantId, url],
      );
      await m.query(`UPDATE webhook_deliveries SET url = $2 WHERE participant_id = $1 AND state = 'pending'`, [participantId, url]);
      return rows[0];
    });
  }

  /**
   * Removes the participant's webhook; true when it had one. Deliveries still pending are given up (failed,
   * with the reason); notifications stay stored and listed in myRecallNotifications.
   */
  async remove(participantId: string): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      const deleted: Array<{ participant_id: string }> = await m.query(
        'WITH d AS (DELETE FROM webhook_endpoints WHERE participant_id = $1 RETURNING participant_id) SELECT * FROM d',
        [participantId],
      );
      await m.query(
        `UPDATE webhook_deliveries SET state = 'failed', failed_at = now(), last_error = 'The participant removed its webhook before this notification was delivered.'
          WHERE participant_id = $1 AND state = 'pending'`,
        [participantId],
      );
      return deleted.length > 0;
    });
  }
}
