// The fan-out of one recall revision, in the worker: who must be told (recallHolders over every batch and
// ingredient lot the recall covers, the batches' manufacturers, and for later revisions everyone told
// before), one stored notification per participant, and a webhook delivery for each participant that has a
// webhook — all in one transaction that also sets fanned_out_at. The delivery jobs are queued after commit;
// should that fail, the delivery sweep (WebhookDeliverer.requeueStale) queues them later.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@pharmatrace/config';
import { QUEUE_BACKEND, QueueBackendHandle } from '@pharmatrace/queue';
import { recallHolders } from '@pharmatrace/tracing/affected-packs';
import { enqueueDeliveries } from '../notification-jobs';
import { notificationDrafts } from './notification-drafts';
import {
  batchManufacturers,
  insertDeliveries,
  insertNotifications,
  LockedRevision,
  lockUnfannedRevisions,
  markFannedOut,
  pendingRevisions,
  previouslyNotified,
  recallScope,
} from './recall-fanout.store';

export interface FanoutOutcome {
  recallId: string;
  revision: number;
  /** Notifications stored now (0 when a previous run already stored them). */
  notified: number;
  /** Webhook deliveries queued now. */
  deliveries: number;
}

@Injectable()
export class RecallFanout {
  private readonly log = new Logger(RecallFanout.name);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(QUEUE_BACKEND) private readonly queues: QueueBackendHandle,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Fans out `revision` of the recall, and first any earlier revision of it still pending. Idempotent: a
   * revision already fanned out is skipped, and a concurrent run waits for the row lock, then skips it.
   */
  async fanOut(recallId: string, revision: number): Promise<FanoutOutcome[]> {
    const { outcomes, deliveries } = await this.dataSource.transaction(async (m) => {
      const out: FanoutOutcome[] = [];
      const queued: string[] = [];
      for (const locked of await lockUnfannedRevisions(m, recallId, revision)) {
        const { notified, deliveryIds } = await this.fanOutLocked(m, locked);
        out.push({ recallId, revision: locked.revision, notified, deliveries: deliveryIds.length });
        queued.push(...deliveryIds);
      }
      return { outcomes: out, deliveries: queued };
    });
    if (deliveries.length > 0) {
      await enqueueDeliveries(this.queues, this.config, deliveries).catch((e: unknown) =>
        this.log.warn(`Queue unreachable; ${deliveries.length} webhook deliveries will be queued by the worker's sweep: ${String(e)}`),
      );
    }
    for (const o of outcomes) this.log.debug(`Recall ${o.recallId} revision ${o.revision}: ${o.notified} notified, ${o.deliveries} webhooks queued`);
    return outcomes;
  }

  /** Fans out revisions still pending (a lost job, a queue outage, a worker that was down), oldest first. */
  async sweep(limit = 50): Promise<FanoutOutcome[]> {
    const outcomes: FanoutOutcome[] = [];
    for (const ref of await pendingRevisions(this.dataSource.manager, limit)) outcomes.push(...(await this.fanOut(ref.recallId, ref.revision)));
    return outcomes;
  }

  private async fanOutLocked(m: EntityManager, rev: LockedRevision): Promise<{ notified: number; deliveryIds: string[] }> {
    const scope = await recallScope(m, rev.recallId, rev.revision);
    const holders = await recallHolders(m, scope.batches, scope.ingredientLots);
    const manufacturers = await batchManufacturers(m, scope.batches);
    const earlier = rev.revision > 1 ? await previouslyNotified(m, rev.recallId, rev.revision) : [];
    const ordered = notificationDrafts({ holders, manufacturers, initiatorId: rev.initiatorId, previouslyNotified: earlier });
    const inserted = await insertNotifications(m, rev, ordered);
    const deliveryIds = await insertDeliveries(m, rev);
    await markFannedOut(m, rev);
    return { notified: inserted.length, deliveryIds };
  }
}
