import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@pharmatrace/config';
import { AlertNotifier, ScanJudge } from '@pharmatrace/scan-alerts';
import { AnyPayload, closeWithin, JobName, JobPayloads, QUEUE_BACKEND, QueueBackendHandle, QueueNames } from '@pharmatrace/queue';

/** Scan checks at once: each is one short transaction per serial. */
const SCANS_CONCURRENCY = 4;

/**
 * Consumes the `scans` queue: `scan-check` (the clone rules on one recorded scan, libs/scan-alerts ScanJudge) and
 * `alert-notify` (an alert revision told to the manufacturer and the regulators, AlertNotifier). On a timer it
 * judges scans left unchecked and tells revisions no job announced, so a queue outage delays but never drops one.
 */
@Injectable()
export class ScansProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(ScansProcessor.name);
  private worker: Worker<AnyPayload, unknown, JobName> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<unknown> = Promise.resolve();
  private sweepFailing = false;

  constructor(
    private readonly judge: ScanJudge,
    private readonly notifier: AlertNotifier,
    @Inject(QUEUE_BACKEND) private readonly queues: QueueBackendHandle,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.worker = this.queues.worker(QueueNames.scans, (job) => this.process(job), SCANS_CONCURRENCY);
    this.timer = setInterval(() => void this.sweep(), this.config.sealIntervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    const worker = this.worker;
    if (worker) await closeWithin(() => worker.close(), () => void worker.close(true).catch(() => undefined));
    await closeWithin(() => this.sweeping, () => undefined);
  }

  async process(job: Job<AnyPayload, unknown, JobName>): Promise<unknown> {
    switch (job.name) {
      case 'scan-check': {
        const { scanId } = job.data as JobPayloads['scan-check'];
        const outcome = await this.judge.judge(scanId);
        return { found: outcome.found, alerts: outcome.alerts.map((a) => a.alertId) };
      }
      case 'alert-notify': {
        const { alertId, revision } = job.data as JobPayloads['alert-notify'];
        return { deliveries: await this.notifier.notify(alertId, revision) };
      }
      default:
        throw new Error(`unknown job ${job.name} on ${job.queueName}`);
    }
  }

  /** One sweep at a time in this process; across processes the per-serial lock and unique rows keep it idempotent. */
  sweep(): Promise<unknown> {
    const next = this.sweeping
      .catch(() => undefined)
      .then(async () => {
        await this.judge.sweep();
        await this.notifier.sweep();
        this.sweepFailing = false;
      })
      .catch((e: unknown) => {
        if (!this.sweepFailing) this.log.warn(`Scan sweep failed; retrying on the next tick: ${e instanceof Error ? e.message : String(e)}`);
        this.sweepFailing = true;
      });
    this.sweeping = next;
    return next;
  }
}
