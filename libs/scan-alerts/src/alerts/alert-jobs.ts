// The 'alert-notify' job: a raised alert or a life-cycle update, to be told to the manufacturer and regulators.
import { QueueBackendHandle, QueueNames } from '@pharmatrace/queue';

/** BullMQ job ids may not contain ':' (alert ids do): encodeURIComponent keeps them unique and readable. */
export const alertNotifyJobId = (alertId: string, revision: number): string => `alert-notify-${encodeURIComponent(alertId)}-${revision}`;

/** Queues the notification of one alert revision; the worker's sweep catches a revision whose job was lost. */
export async function enqueueAlertNotify(queues: QueueBackendHandle, alertId: string, revision: number): Promise<void> {
  await queues
    .queue(QueueNames.scans)
    .add('alert-notify', { alertId, revision }, { jobId: alertNotifyJobId(alertId, revision), attempts: 3, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: 1000, removeOnFail: 1000 });
}
