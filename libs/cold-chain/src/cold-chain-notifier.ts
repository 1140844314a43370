import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@pharmatrace/config';
import { QUEUE_BACKEND, QueueBackendHandle, QueueNames } from '@pharmatrace/queue';
import { ColdChainEventTypes } from './cold-chain-events';

/**
 * Asks the workers to evaluate after readings are appended, debounced like sealing (one job id per time
 * window, so an upload of ten events makes one job). Best effort: the subjects are marked pending in the
 * readings' own transaction, and the worker's timer sweeps them if a job is lost.
 */
@Injectable()
export class ColdChainNotifier {
  private readonly log = new Logger(ColdChainNotifier.name);
  private warned = false;
  /** While Redis is unreachable an add may never settle: keep at most one in flight. */
  private inFlight = false;

  constructor(
    @Inject(QUEUE_BACKEND) private readonly queues: QueueBackendHandle,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  appended(receipts: ReadonlyArray<{ type: string; seq: number }>): void {
    const readings = receipts.filter((r) => r.type === ColdChainEventTypes.readingsRecorded);
    if (readings.length === 0 || this.inFlight) return;
    this.inFlight = true;
    const throughSeq = Math.max(...readings.map((r) => r.seq));
    const debounce = Math.max(this.config.sealDebounceMs, 1);
    const window = Math.floor(Date.now() / debounce);
    this.queues
      .queue(QueueNames.coldChain)
      .add('coldchain-evaluate', { throughSeq }, { jobId: `coldchain-${window}`, delay: this.config.sealDebounceMs, removeOnComplete: 100, removeOnFail: 100 })
      .then(() => {
        this.warned = false;
      })
      .catch((e: unknown) => {
        if (this.warned) return;
        this.warned = true;
        this.log.warn(`Queue unreachable; readings up to #${throughSeq} will be evaluated by the worker's timer: ${String(e)}`);
      })
      .finally(() => {
        this.inFlight = false;
      });
  }
}
