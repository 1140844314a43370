import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Worker } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@pharmatrace/config';
import { ColdChainEvaluator, SubjectOutcome } from '@pharmatrace/cold-chain';
import { AnyPayload, closeWithin, JobName, QUEUE_BACKEND, QueueBackendHandle, QueueNames } from '@pharmatrace/queue';

/**
 * Evaluates temperature readings when `coldchain-evaluate` jobs arrive (the API enqueues them after an
 * upload) and on a timer, so readings accepted during a queue outage are judged once a worker is back.
 */
@Injectable()
export class ColdChainProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(ColdChainProcessor.name);
  private worker: Worker<AnyPayload, unknown, JobName> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly evaluator: ColdChainEvaluator,
    @Inject(QUEUE_BACKEND) private readonly queues: QueueBackendHandle,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.worker = this.queues.worker(QueueNames.coldChain, async (job) => {
      if (job.name !== 'coldchain-evaluate') throw new Error(`unknown job ${job.name} on ${QueueNames.coldChain}`);
      const outcomes = await this.evaluate();
      return { subjects: outcomes.length, quarantined: outcomes.reduce((n, o) => n + o.quarantined.length, 0) };
    });
    this.timer = setInterval(() => void this.evaluate().catch((e: unknown) => this.log.error(`Timed cold-chain evaluation failed: ${String(e)}`)), this.config.sealIntervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    const worker = this.worker;
    if (worker) await closeWithin(() => worker.close(), () => void worker.close(true).catch(() => undefined));
    await this.running.catch(() => undefined);
  }

  /** One evaluation pass at a time in this process; across processes the pending subjects' leases decide. */
  evaluate(): Promise<SubjectOutcome[]> {
    const next = this.running.catch(() => undefined).then(() => this.evaluator.evaluatePending());
    this.running = next;
    return next;
  }
}
