import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@pharmatrace/config';
import { LedgerKey, loadPublishedLedgerKey } from '@pharmatrace/ledger';
import { RecallFanout } from './fan-out/recall-fanout.service';
import { NOTIFICATIONS_LEDGER_KEY, WebhookDeliverer } from './delivery/webhook-deliverer';

/** For the worker only: the fan-out, and webhook deliveries signed with the ledger's private key. */
@Module({
  providers: [
    {
      provide: NOTIFICATIONS_LEDGER_KEY,
      inject: [DataSource, APP_CONFIG],
      useFactory: (dataSource: DataSource, config: AppConfig): Promise<LedgerKey> => loadPublishedLedgerKey(dataSource, config.ledgerKeyPath),
    },
    RecallFanout,
    WebhookDeliverer,
  ],
  exports: [RecallFanout, WebhookDeliverer],
})
export class NotificationsWorkerModule {}
