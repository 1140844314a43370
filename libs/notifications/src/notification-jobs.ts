// The notification jobs — fan-outs on the `notifications` queue, webhook deliveries on `webhooks`, so that
// storing who must be told never waits behind deliveries — their deterministic ids (so that adding one twice is
// a no-op) and options.
// Retries use BullMQ's own attempts and exponential backoff, which both backends honour (the PostgreSQL
// backend's move_to_delayed, like Redis's, is driven by the same Job.moveToFailed → shouldRetryJob).
import { JobsOptions } from 'bullmq';
import { AppConfig } from '@pharmatrace/config';
import { QueueBackendHandle, QueueNames } from '@pharmatrace/queue';

/** BullMQ job ids may not contain ':' (recall ids do): encodeURIComponent keeps them unique and readable. */
export const fanoutJobId = (recallId: string, revision: number): string => `recall-fanout-${encodeURIComponent(recallId)}-${revision}`;
export const deliveryJobId = (notificationId: string): string => `webhook-${notificationId}`;

/** Fan-out is idempotent and swept by the worker's timer as well: a few quick retries are enough. */
const FANOUT_OPTIONS: JobsOptions = { attempts: 3, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: 1000, removeOnFail: 1000 };

/** Delivery attempt n (1-based) waits backoffMs × 2^(n−2) after attempt n−1 failed: 0, b, 2b, 4b, … */
export function deliveryJobOptions(config: AppConfig, notificationId: string): JobsOptions {
  return {
    jobId: deliveryJobId(notificationId),
    attempts: config.webhooks.maxAttempts,
    backoff: { type: 'exponential', delay: config.webhooks.backoffMs },
    removeOnComplete: 1000,
    removeOnFail: 1000,
  };
}

export async function enqueueFanout(queues: QueueBackendHandle, recallId: string, revision: number): Promise<void> {
  await queues.queue(QueueNames.notifications).add('recall-fanout', { recallId, revision }, { ...FANOUT_OPTIONS, jobId: fanoutJobId(recallId, revision) });
}

/** Adds one delivery job per notification, 500 per round trip. */
export async function enqueueDeliveries(queues: QueueBackendHandle, config: AppConfig, notificationIds: readonly string[]): Promise<void> {
  const queue = queues.queue(QueueNames.webhooks);
  for (let i = 0; i < notificationIds.length; i += 500) {
    await queue.addBulk(
      notificationIds.slice(i, i + 500).map((notificationId) => ({ name: 'webhook-deliver' as const, data: { notificationId }, opts: deliveryJobOptions(config, notificationId) })),
    );
  }
}
