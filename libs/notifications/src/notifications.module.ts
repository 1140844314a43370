import { Module, OnModuleInit } from '@nestjs/common';
import { EventRuleRegistry, LedgerModule } from '@pharmatrace/ledger';
import { RecallFanoutNotifier } from './fan-out/recall-fanout-notifier';
import { WebhookEndpoints } from './endpoints/webhook-endpoints.service';
import { RecallNotificationQueries } from './queries/recall-notification-queries';

/**
 * Recall notifications in the API: queues the fan-out of each recall revision once its event has committed,
 * participants' webhooks, and the notifications' read side. The fan-out and the deliveries run in the worker
 * (NotificationsWorkerModule).
 */
@Module({
  imports: [LedgerModule],
  providers: [RecallFanoutNotifier, WebhookEndpoints, RecallNotificationQueries],
  exports: [WebhookEndpoints, RecallNotificationQueries],
})
export class NotificationsModule implements OnModuleInit {
  constructor(
    private readonly registry: EventRuleRegistry,
    private readonly notifier: RecallFanoutNotifier,
  ) {}

  onModuleInit(): void {
    this.registry.onAppended((receipts) => this.notifier.appended(receipts));
  }
}
