import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Worker } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@pharmatrace/config';
import { BlockSealer } from '@pharmatrace/ledger';
import { AnyPayload, JobName, QUEUE_BACKEND, QueueBackendHandle, QueueNames } from '@pharmatrace/queue';
import { closeWithin } from '@pharmatrace/queue';

/**
 * Seals blocks when `seal` jobs arrive (the API enqueues them as events are appended) and on a timer,
 * so events accepted during a queue outage or while no worker ran are sealed once one is back.
 */
@Injectable()
export class SealProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(SealProcessor.name);
  private worker: Worker<AnyPayload, unknown, JobName> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly sealer: BlockSealer,
    @Inject(QUEUE_BACKEND) private readonly queues: QueueBackendHandle,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.worker = this.queues.worker(QueueNames.ledger, async (job) => {
      if (job.name !== 'seal') throw new Error(`unknown job ${job.name} on ${QueueNames.ledger}`);
      return { blocks: await this.seal() };
    });
    this.timer = setInterval(() => void this.seal().catch((e: unknown) => this.log.error(`Timed seal failed: ${String(e)}`)), this.config.sealIntervalMs);
    void this.seal().catch((e: unknown) => this.log.error(`Seal at start failed: ${String(e)}`));
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    const worker = this.worker;
    if (worker) await closeWithin(() => worker.close(), () => void worker.close(true).catch(() => undefined));
    await this.running.catch(() => undefined);
  }

  /** One seal at a time in this process; across processes the sealer's advisory lock decides. */
  seal(): Promise<number> {
    const next = this.running.catch(() => undefined).then(async () => {
      const blocks = await this.sealer.sealPending();
      for (const b of blocks) this.log.debug(`Sealed block ${b.height}: events ${b.firstSeq}–${b.lastSeq}, root ${b.rootHash}`);
      return blocks.length;
    });
    this.running = next;
    return next;
  }
}
