import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@pharmatrace/config';
import { LedgerKey, loadOrCreateLedgerKey } from '@pharmatrace/ledger';
import { RecallFanout } from './fan-out/recall-fanout.service';
import { NOTIFICATIONS_LEDGER_KEY, WebhookDeliverer } from './delivery/webhook-deliverer';

/** For the worker only: the fan-out, and webhook deliveries signed with the ledger's private key. */
@Module({
  providers: [
    {
      provide: NOTIFICATIONS_LEDGER_KEY,
      inject: [DataSource, APP_CONFIG],
      useFactory: async (dataSource: DataSource, config: AppConfig): Promise<LedgerKey> => {
        const key = loadOrCreateLedgerKey(config.ledgerKeyPath);
        // Published as the sealer publishes it, so that a receiver can verify a webhook even before a block is sealed.
        await dataSource.query('INSERT INTO ledger_signing_keys (kid, public_key) VALUES ($1, $2) ON CONFLICT (kid) DO NOTHING', [
          key.kid,
          Buffer.from(key.publicKey).toString('base64url'),
        ]);
        return key;
      },
    },
    RecallFanout,
    WebhookDeliverer,
  ],
  exports: [RecallFanout, WebhookDeliverer],
})
export class NotificationsWorkerModule {}
