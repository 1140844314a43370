import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@pharmatrace/config';
import { QUEUE_BACKEND, QueueBackendHandle, QueueNames } from '@pharmatrace/queue';

/**
 * Asks the workers to seal after events are appended. Debounced by giving every request in the same
 * time window one job id, so a burst of appends makes one job. Best effort by design: an event is
 * accepted once it is in the log, queue or no queue; the worker's seal timer catches up after an outage.
 */
@Injectable()
export class SealNotifier {
  private readonly log = new Logger(SealNotifier.name);
  private warned = false;
  /** While Redis is unreachable an add may never settle: keep at most one in flight. */
  private inFlight = false;

  constructor(
    @Inject(QUEUE_BACKEND) private readonly queues: QueueBackendHandle,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  eventsAppended(lastSeq: number): void {
    if (this.inFlight) return; // the pending request, or the worker's timer, covers these events too
    this.inFlight = true;
    const window = Math.floor(Date.now() / Math.max(this.config.sealDebounceMs, 1));
    this.queues
      .queue(QueueNames.ledger)
      .add('seal', { lastSeq }, { jobId: `seal-${window}`, delay: this.config.sealDebounceMs, removeOnComplete: 100, removeOnFail: 100 })
      .then(() => {
        this.warned = false;
      })
      .catch((e: unknown) => {
        if (this.warned) return;
        this.warned = true;
        this.log.warn(`Queue unreachable; events up to #${lastSeq} will be sealed by the worker's timer: ${String(e)}`);
      })
      .finally(() => {
        this.inFlight = false;
      });
  }
}
