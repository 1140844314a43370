// Asks the workers to fan out a recall revision as soon as its event has committed (an `onAppended`
// listener). Best effort by design: the revision is stored with fanned_out_at NULL in the event's own
// transaction, and the worker's timer sweeps it if this job is lost or the queue is down.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { QUEUE_BACKEND, QueueBackendHandle } from '@pharmatrace/queue';
import { RecallEventTypes } from '@pharmatrace/recalls/recall-events';
import { enqueueFanout } from '../notification-jobs';

/** The recall events that start a revision (acknowledgements do not). */
const REVISION_EVENTS: ReadonlySet<string> = new Set([RecallEventTypes.initiated, RecallEventTypes.amended, RecallEventTypes.closed]);

const MAX_IN_FLIGHT = 8;

@Injectable()
export class RecallFanoutNotifier {
  private readonly log = new Logger(RecallFanoutNotifier.name);
  private warned = false;
  /** While Redis is unreachable an add may never settle: bound what waits (the sweep covers the rest). */
  private inFlight = 0;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(QUEUE_BACKEND) private readonly queues: QueueBackendHandle,
  ) {}

  /** The EventRuleRegistry.onAppended listener: never throws, never blocks the caller. */
  appended(receipts: ReadonlyArray<{ type: string; seq: number }>): void {
    const seqs = receipts.filter((r) => REVISION_EVENTS.has(r.type)).map((r) => r.seq);
    if (seqs.length === 0 || this.inFlight >= MAX_IN_FLIGHT) return;
    this.inFlight++;
    void this.enqueue(seqs)
      .catch((e: unknown) => {
        if (this.warned) return;
        this.warned = true;
        this.log.warn(`Could not queue the fan-out of recall events #${seqs.join(', #')}; the worker's sweep will pick them up: ${String(e)}`);
      })
      .finally(() => {
        this.inFlight--;
      });
  }

  private async enqueue(seqs: number[]): Promise<void> {
    const rows: Array<{ recall_id: string; revision: number }> = await this.dataSource.query(
      'SELECT recall_id, revision FROM recall_revisions WHERE seq = ANY($1::bigint[]) ORDER BY seq',
      [seqs],
    );
    for (const r of rows) await enqueueFanout(this.queues, r.recall_id, Number(r.revision));
    this.warned = false;
  }
}
