// Queue names and the typed payload of every job. Producers and processors share these types.
export const QueueNames = {
  ledger: 'ledger',
  system: 'system',
  coldChain: 'cold-chain',
  /** Recall fan-out (who must be told): never waits behind webhook deliveries. */
  notifications: 'notifications',
  /** Webhook deliveries (one POST attempt per job, retried with backoff). */
  webhooks: 'webhooks',
  /** Public scans checked for clones, and the verification alerts they raise told to manufacturer and regulators. */
  scans: 'scans',
} as const;
export type QueueName = (typeof QueueNames)[keyof typeof QueueNames];

export interface JobPayloads {
  /** Events were appended up to `lastSeq`: seal them (debounced by the job id's time window). */
  seal: { lastSeq: number };
  /** A round trip through the queue, used by /health to prove a worker is consuming. */
  'health-probe': { sentAt: string; nonce: string };
  /** Temperature readings were recorded up to event `throughSeq`: evaluate the pending subjects (debounced). */
  'coldchain-evaluate': { throughSeq: number };
  /** A recall revision was accepted: store a notification for every participant that must be told, once each. */
  'recall-fanout': { recallId: string; revision: number };
  /** POST one stored notification to its participant's webhook (retried with exponential backoff). */
  'webhook-deliver': { notificationId: string };
  /** A public scan was recorded: judge it against the serial's other scans (clone rules, libs/scan-alerts). */
  'scan-check': { scanId: string };
  /** A verification alert was raised or changed: tell the manufacturer and the regulators. */
  'alert-notify': { alertId: string; revision: number };
}
export type JobName = keyof JobPayloads;

/** Nest injection token for the process's QueueBackendHandle. */
export const QUEUE_BACKEND = Symbol('QUEUE_BACKEND');
