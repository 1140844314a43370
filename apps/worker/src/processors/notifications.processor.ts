import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@pharmatrace/config';
import { RecallFanout, WebhookDeliverer } from '@pharmatrace/notifications';
import { AnyPayload, closeWithin, JobName, JobPayloads, QUEUE_BACKEND, QueueBackendHandle, QueueNames } from '@pharmatrace/queue';

/**
 * Consumes the `notifications` queue: `recall-fanout` (who must be told of a recall revision) and
 * `webhook-deliver` (one POST attempt; BullMQ retries it with backoff). config.webhooks.concurrency jobs run
 * at once, so a slow or dead receiver holds one slot, not the queue. On a timer it also fans out revisions
 * no job announced and re-queues deliveries whose job was lost, so an outage delays but never drops one.
 */
@Injectable()
export class NotificationsProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(NotificationsProcessor.name);
  private worker: Worker<AnyPayload, unknown, JobName> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<unknown> = Promise.resolve();
  private sweepFailing = false;

  constructor(
    private readonly fanout: RecallFanout,
    private readonly deliverer: WebhookDeliverer,
    @Inject(QUEUE_BACKEND) private readonly queues: QueueBackendHandle,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.worker = this.queues.worker(QueueNames.notifications, (job) => this.process(job), this.config.webhooks.concurrency);
    this.timer = setInterval(() => void this.sweep(), this.config.sealIntervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    const worker = this.worker;
    if (worker) await closeWithin(() => worker.close(), () => void worker.close(true).catch(() => undefined));
    // A sweep waiting on an unreachable queue must not hold the process: bounded like the worker's close.
    await closeWithin(() => this.sweeping, () => undefined);
  }

  async process(job: Job<AnyPayload, unknown, JobName>): Promise<unknown> {
    switch (job.name) {
      case 'recall-fanout': {
        const { recallId, revision } = job.data as JobPayloads['recall-fanout'];
        return { revisions: await this.fanout.fanOut(recallId, revision) };
      }
      case 'webhook-deliver': {
        const { notificationId } = job.data as JobPayloads['webhook-deliver'];
        return this.deliverer.deliver(notificationId, job.attemptsMade + 1 >= (job.opts.attempts ?? 1));
      }
      default:
        throw new Error(`unknown job ${job.name} on ${QueueNames.notifications}`);
    }
  }

  /** One sweep at a time in this process; across processes row locks and job ids keep it idempotent. */
  sweep(): Promise<unknown> {
    const next = this.sweeping
      .catch(() => undefined)
      .then(async () => {
        await this.fanout.sweep();
        await this.deliverer.requeueStale();
        this.sweepFailing = false;
      })
      .catch((e: unknown) => {
        // Once per outage, not every tick: the next successful sweep catches up.
        if (!this.sweepFailing) this.log.warn(`Notification sweep failed; retrying on the next tick: ${e instanceof Error ? e.message : String(e)}`);
        this.sweepFailing = true;
      });
    this.sweeping = next;
    return next;
  }
}
