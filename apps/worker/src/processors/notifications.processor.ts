import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DelayedError, Job, Worker } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@pharmatrace/config';
import { RecallFanout, WebhookDeliverer } from '@pharmatrace/notifications';
import { AnyPayload, closeWithin, JobName, JobPayloads, QUEUE_BACKEND, QueueBackendHandle, QueueNames } from '@pharmatrace/queue';

/** Fan-outs at once: each is one database transaction, short next to a webhook attempt. */
const FANOUT_CONCURRENCY = 2;

/**
 * Consumes two queues, so that storing who must be told never waits behind webhook deliveries:
 * `notifications` (`recall-fanout`: who must be told of a recall revision) and `webhooks` (`webhook-deliver`:
 * one POST attempt; BullMQ retries it with backoff). config.webhooks.concurrency deliveries run at once, and a
 * receiver that already has its share of attempts in flight (WebhookDeliverer's per-receiver cap) does not
 * hold a slot waiting: its delivery is moved back to delayed for about a second, no attempt counted. On a timer
 * it also fans out revisions no job announced and re-queues deliveries whose job was lost, so an outage delays
 * but never drops one.
 */
@Injectable()
export class NotificationsProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(NotificationsProcessor.name);
  private workers: Array<Worker<AnyPayload, unknown, JobName>> = [];
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
    this.workers = [
      // (A webhook-deliver job left on `notifications` by an earlier version is still delivered here.)
      this.queues.worker(QueueNames.notifications, (job, token) => this.process(job, token), FANOUT_CONCURRENCY),
      this.queues.worker(QueueNames.webhooks, (job, token) => this.process(job, token), this.config.webhooks.concurrency),
    ];
    this.timer = setInterval(() => void this.sweep(), this.config.sealIntervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.all(this.workers.map((worker) => closeWithin(() => worker.close(), () => void worker.close(true).catch(() => undefined))));
    // A sweep waiting on an unreachable queue must not hold the process: bounded like the worker's close.
    await closeWithin(() => this.sweeping, () => undefined);
  }

  async process(job: Job<AnyPayload, unknown, JobName>, token?: string): Promise<unknown> {
    switch (job.name) {
      case 'recall-fanout': {
        const { recallId, revision } = job.data as JobPayloads['recall-fanout'];
        return { revisions: await this.fanout.fanOut(recallId, revision) };
      }
      case 'webhook-deliver': {
        const { notificationId } = job.data as JobPayloads['webhook-deliver'];
        const outcome = await this.deliverer.deliver(notificationId, job.attemptsMade + 1 >= (job.opts.attempts ?? 1));
        if (outcome.state === 'host-busy' && token) {
          // Back to delayed without counting an attempt (the same on Redis and on the PostgreSQL backend:
          // moveToDelayed with skipAttempt); DelayedError tells the worker the job is no longer active.
          await job.moveToDelayed(Date.now() + outcome.retryInMs, token);
          throw new DelayedError();
        }
        return outcome;
      }
      default:
        throw new Error(`unknown job ${job.name} on ${job.queueName}`);
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
