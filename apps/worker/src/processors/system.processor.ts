import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import { AnyPayload, JobName, JobPayloads, QUEUE_BACKEND, QueueBackendHandle, QueueNames } from '@pharmatrace/queue';
import { closeWithin } from '@pharmatrace/queue';

/** Consumes the `system` queue: health probes, which prove end to end that a worker is alive. */
@Injectable()
export class SystemProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(SystemProcessor.name);
  private worker: Worker<AnyPayload, unknown, JobName> | null = null;

  constructor(@Inject(QUEUE_BACKEND) private readonly queues: QueueBackendHandle) {}

  onApplicationBootstrap(): void {
    this.worker = this.queues.worker(QueueNames.system, (job) => this.process(job), 4);
  }

  async onApplicationShutdown(): Promise<void> {
    const worker = this.worker;
    if (worker) await closeWithin(() => worker.close(), () => void worker.close(true).catch(() => undefined));
  }

  async process(job: Job<AnyPayload, unknown, JobName>): Promise<unknown> {
    switch (job.name) {
      case 'health-probe': {
        const probe = job.data as JobPayloads['health-probe'];
        return { nonce: probe.nonce, answeredAt: new Date().toISOString() };
      }
      default:
        this.log.warn(`Unknown job ${job.name} on ${QueueNames.system}`);
        throw new Error(`unknown job ${job.name}`);
    }
  }
}
