// One delivery attempt of a stored notification to its participant's webhook, as the Standard Webhooks spec
// describes it: POST of the JSON payload with webhook-id (the same on every retry), webhook-timestamp (this
// attempt, unix seconds) and webhook-signature (v1a: Ed25519 by the ledger key). A 2xx answer within
// config.webhooks.timeoutMs delivers it; anything else (another status, a redirect, a timeout, a network
// error, a target that is not public) is a failed attempt, recorded on the webhook_deliveries row and thrown
// so that BullMQ retries it with exponential backoff, until the last attempt marks the delivery failed.
// A receiver (URL host and port) has at most config.webhooks.perHostConcurrency attempts in flight per worker:
// a further delivery to it is not attempted but deferred (`host-busy`), so a dead receiver holds a few slots
// and never the worker's whole concurrency.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@pharmatrace/config';
import { LedgerKey } from '@pharmatrace/ledger';
import { isDomainError } from '@pharmatrace/errors';
import { QUEUE_BACKEND, QueueBackendHandle, QueueNames } from '@pharmatrace/queue';
import { assertPublicHost, parseWebhookUrl, systemResolver } from '../endpoints/webhook-url';
import { deliveryJobId, deliveryJobOptions } from '../notification-jobs';
import { signWebhook, webhookMessageId } from './webhook-signature';
import { storedWebhookMessage, webhookPayload } from './webhook-payload';

/** Injection token of the ledger key in the worker (the API never loads it). */
export const NOTIFICATIONS_LEDGER_KEY = Symbol('NOTIFICATIONS_LEDGER_KEY');

export type DeliveryOutcome =
  | { state: 'delivered'; attempt: number; status: number }
  | { state: 'skipped'; reason: string }
  /** Nothing attempted, no attempt counted: the receiver already has its share of attempts in flight; try again in `retryInMs`. */
  | { state: 'host-busy'; receiver: string; retryInMs: number };

/** A failed attempt that BullMQ retries (after backoff). */
export class DeliveryAttemptFailed extends Error {
  override readonly name = 'DeliveryAttemptFailed';
}

interface ClaimedDelivery {
  attempts: number;
  url: string;
  participant_id: string;
}

/** Longest error text kept on the row (what a regulator reads in recallDeliveries). */
const MAX_ERROR_LENGTH = 300;

@Injectable()
export class WebhookDeliverer {
  private readonly log = new Logger(WebhookDeliverer.name);
  /** Attempts in flight in this worker, per receiver (URL host and port). */
  private readonly inFlight = new Map<string, number>();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(NOTIFICATIONS_LEDGER_KEY) private readonly key: LedgerKey,
    @Inject(QUEUE_BACKEND) private readonly queues: QueueBackendHandle,
  ) {}

  /**
   * Makes one attempt. `lastJobAttempt`: BullMQ will not retry this job again (job.attemptsMade + 1 ≥
   * attempts). The row's own attempt counter (incremented as the attempt starts, so an attempt cut short by a
   * crash counts too) decides as well: at config.webhooks.maxAttempts the delivery is marked failed and
   * UnrecoverableError stops BullMQ. Throws DeliveryAttemptFailed for a failed attempt that will be retried.
   * Returns `host-busy`, touching nothing, when the receiver already has its share of attempts in flight here:
   * the caller puts the job back on the queue (without counting a BullMQ attempt) instead of waiting in a slot.
   */
  async deliver(notificationId: string, lastJobAttempt: boolean): Promise<DeliveryOutcome> {
    const target: Array<{ url: string }> = await this.dataSource.query(`SELECT url FROM webhook_deliveries WHERE notification_id = $1 AND state = 'pending'`, [
      notificationId,
    ]);
    if (!target[0]) return { state: 'skipped', reason: 'not pending (delivered, failed, or unknown)' };
    const receiver = receiverOf(target[0].url);
    const cap = this.perReceiverCap();
    const busy = this.inFlight.get(receiver) ?? 0;
    if (busy >= cap) return { state: 'host-busy', receiver, retryInMs: this.deferral() };
    this.inFlight.set(receiver, busy + 1);
    try {
      return await this.attempt(notificationId, lastJobAttempt);
    } finally {
      const left = (this.inFlight.get(receiver) ?? 1) - 1;
      if (left > 0) this.inFlight.set(receiver, left);
      else this.inFlight.delete(receiver);
    }
  }

  /**
   * At most perHostConcurrency, and always fewer than the worker's slots (when it has more than one): one
   * receiver can never take them all.
   */
  private perReceiverCap(): number {
    const { concurrency, perHostConcurrency } = this.config.webhooks;
    return concurrency > 1 ? Math.min(perHostConcurrency, concurrency - 1) : 1;
  }

  /** How long a deferred delivery waits: about a second, jittered so that deferred jobs do not wake in step. */
  private deferral(): number {
    const base = Math.min(1000, this.config.webhooks.timeoutMs);
    return Math.round(base * (0.5 + Math.random()));
  }

  private async attempt(notificationId: string, lastJobAttempt: boolean): Promise<DeliveryOutcome> {
    // In a CTE so that the driver returns the rows (a bare UPDATE … RETURNING comes back as [rows, count]).
    const claimed: ClaimedDelivery[] = await this.dataSource.query(
      `WITH claimed AS (UPDATE webhook_deliveries SET attempts = attempts + 1, last_attempt_at = now()
                          WHERE notification_id = $1 AND state = 'pending' RETURNING attempts, url, participant_id)
       SELECT * FROM claimed`,
      [notificationId],
    );
    const row = claimed[0];
    if (!row) return { state: 'skipped', reason: 'not pending (delivered, failed, or unknown)' };
    const attempt = Number(row.attempts);
    const payload = await webhookPayload(this.dataSource.manager, notificationId, this.config.publicBaseUrlExplicit ? this.config.publicBaseUrl : null);
    // Not a recall notification: one stored with its body fixed (a verification alert's, libs/scan-alerts).
    const stored = payload
      ? { body: JSON.stringify(payload), id: webhookMessageId(payload.data.recall, payload.data.revision, payload.data.participant) }
      : await storedWebhookMessage(this.dataSource.manager, notificationId);
    if (!stored) return { state: 'skipped', reason: 'the notification is gone' };
    const { body, id: msgId } = stored;

    let status: number | null = null;
    let error: string;
    try {
      // One deadline for the whole attempt: resolving the host name and the POST together.
      const deadline = AbortSignal.timeout(this.config.webhooks.timeoutMs);
      const url = parseWebhookUrl(row.url, this.config.webhooks.allowPrivateNetworks);
      if (!this.config.webhooks.allowPrivateNetworks) await assertPublicHost(url, systemResolver, deadline);
      const headers = signWebhook(msgId, Math.floor(Date.now() / 1000), body, this.key.secretKey);
      const response = await fetch(url, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'user-agent': 'PharmaTrace-Webhooks/1' },
        body,
        redirect: 'manual',
        signal: deadline,
      });
      status = response.status;
      await response.body?.cancel().catch(() => undefined);
      if (status >= 200 && status < 300) {
        await this.dataSource.query(
          `UPDATE webhook_deliveries SET state = 'delivered', delivered_at = now(), last_status = $2, last_error = NULL
            WHERE notification_id = $1 AND state = 'pending'`,
          [notificationId, status],
        );
        return { state: 'delivered', attempt, status };
      }
      error = status >= 300 && status < 400 ? `HTTP ${status}: redirects are not followed; register the final URL` : `HTTP ${status} ${response.statusText}`.trim();
    } catch (e) {
      error = describeFailure(e, this.config.webhooks.timeoutMs);
    }

    const final = lastJobAttempt || attempt >= this.config.webhooks.maxAttempts;
    await this.dataSource.query(
      `UPDATE webhook_deliveries SET last_status = $2, last_error = $3,
              state = CASE WHEN $4 THEN 'failed' ELSE state END, failed_at = CASE WHEN $4 THEN now() ELSE failed_at END
        WHERE notification_id = $1 AND state = 'pending'`,
      [notificationId, status, error.slice(0, MAX_ERROR_LENGTH), final],
    );
    const message = `Webhook attempt ${attempt} of notification ${notificationId} to ${row.participant_id} failed: ${error}`;
    if (final) {
      this.log.warn(`${message}; giving up after ${attempt} attempts.`);
      throw new UnrecoverableError(message);
    }
    throw new DeliveryAttemptFailed(message);
  }

  /**
   * Queues again the pending deliveries whose job is gone (a queue outage when they were queued, a job removed
   * after it failed for a reason outside this code, e.g. a worker that kept dying): those not attempted for
   * longer than their backoff, the timeout and a grace period. Adding an existing job id is a no-op.
   */
  async requeueStale(limit = 200): Promise<number> {
    const grace = Math.max(10_000, 3 * this.config.sealIntervalMs);
    const rows: Array<{ notification_id: string }> = await this.dataSource.query(
      `SELECT notification_id FROM webhook_deliveries
        WHERE state = 'pending'
          AND COALESCE(last_attempt_at, created_at)
              + (($1::float8 + $2::float8 * power(2, GREATEST(attempts - 1, 0))) * interval '1 millisecond') < now()
        ORDER BY created_at LIMIT $3`,
      [this.config.webhooks.timeoutMs + grace, this.config.webhooks.backoffMs, limit],
    );
    const queue = this.queues.queue(QueueNames.webhooks);
    let requeued = 0;
    for (const { notification_id: id } of rows) {
      const notificationId = String(id);
      const job = await queue.getJob(deliveryJobId(notificationId));
      const state = job ? await job.getState() : 'missing';
      if (state === 'waiting' || state === 'delayed' || state === 'active' || state === 'prioritized' || state === 'waiting-children') continue;
      if (job) await job.remove();
      await queue.add('webhook-deliver', { notificationId }, deliveryJobOptions(this.config, notificationId));
      requeued++;
    }
    if (requeued > 0) this.log.log(`Queued ${requeued} webhook deliveries again (their jobs were lost).`);
    return requeued;
  }
}

/** The receiver a URL names, for the per-receiver cap: host and port (all of an unparsable URL, which fails on its own). */
function receiverOf(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return url;
  }
}

/** A sentence for a failed attempt: timeout, connection failure (with its code), or a refused target. */
function describeFailure(e: unknown, timeoutMs: number): string {
  if (isDomainError(e)) return e.message;
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  const cause = e instanceof Error ? (e.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.code) return `connection failed: ${cause.code}`;
  if (cause?.message) return `connection failed: ${cause.message}`;
  return e instanceof Error ? e.message : String(e);
}
