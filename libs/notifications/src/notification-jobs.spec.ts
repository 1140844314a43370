import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '@pharmatrace/config';
import { QueueBackendHandle, QueueName, QueueNames } from '@pharmatrace/queue';
import { deliveryJobId, deliveryJobOptions, enqueueDeliveries, enqueueFanout, fanoutJobId } from './notification-jobs';

describe('notification jobs', () => {
  it('fan-out job ids are deterministic per recall and revision, free of ":" (BullMQ refuses it) and distinct', () => {
    const id = fanoutJobId('recall:abc:def', 2);
    assert.equal(id, fanoutJobId('recall:abc:def', 2));
    assert.equal(id.includes(':'), false);
    assert.notEqual(id, fanoutJobId('recall:abc_def', 2));
    assert.notEqual(id, fanoutJobId('recall:abc:def', 3));
  });

  it('a delivery is retried config.webhooks.maxAttempts times with exponential backoff from backoffMs, under a stable job id', () => {
    const config = loadConfig({ WEBHOOK_MAX_ATTEMPTS: '4', WEBHOOK_BACKOFF_MS: '250' }, '/tmp');
    assert.equal(deliveryJobId('42'), 'webhook-42');
    assert.deepEqual(
      (({ jobId, attempts, backoff }) => ({ jobId, attempts, backoff }))(deliveryJobOptions(config, '42')),
      { jobId: 'webhook-42', attempts: 4, backoff: { type: 'exponential', delay: 250 } },
    );
  });

  it('fan-outs and deliveries go to queues of their own, so that storing who must be told never waits behind webhook attempts', async () => {
    const added: Array<[QueueName, string]> = [];
    const queues = {
      queue: (name: QueueName) => ({
        add: async (job: string) => void added.push([name, job]),
        addBulk: async (jobs: Array<{ name: string }>) => void jobs.forEach((j) => added.push([name, j.name])),
      }),
    } as unknown as QueueBackendHandle;
    await enqueueFanout(queues, 'recall:abc', 1);
    await enqueueDeliveries(queues, loadConfig({}, '/tmp'), ['1', '2']);
    assert.deepEqual(added, [
      [QueueNames.notifications, 'recall-fanout'],
      [QueueNames.webhooks, 'webhook-deliver'],
      [QueueNames.webhooks, 'webhook-deliver'],
    ]);
    assert.notEqual(QueueNames.notifications, QueueNames.webhooks);
  });
});
