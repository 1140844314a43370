// What starts a seal: the API's debounced `seal` job (here with the timer pushed far out, so only the
// queue can be responsible), and the timer alone when no job comes.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { participantAssetId } from '@pharmatrace/participants/participant-events';
import { LedgerClient } from '@pharmatrace/sdk';
import { ApiOnly, startApiOnly, startChild } from './support/split-deployment';
import { createTestNetwork } from './support/test-network';
import { licenceRenewals } from './support/bulk-events';
import { waitFor } from './support/test-server';

describe('seal triggers', () => {
  const open: ApiOnly[] = [];
  after(async () => {
    for (const d of open) await d.close();
  });

  it('a burst of appends is sealed by one debounced job, with no timer', async () => {
    // A debounce window long enough for the 8 appends below even on a loaded machine (suites run two at a time).
    const overrides = { SEAL_INTERVAL_MS: '3600000', SEAL_DEBOUNCE_MS: '2000' };
    const d = await startApiOnly(overrides);
    open.push(d);
    const worker = await d.startWorker();
    try {
      const net = await createTestNetwork({ api: d.api, url: d.url } as Parameters<typeof createTestNetwork>[0]);
      const target = await net.join('pharmacy', 'burst-pharmacy');
      const ledger = new LedgerClient(d.url);
      await waitFor('the set-up events to be sealed', async () => ((await ledger.latestBlock())?.header.lastSeq ?? 0) >= 2);
      const before = (await ledger.latestBlock())?.header.height ?? 0;

      const head = (await net.regulator.assetHead(participantAssetId(target.participantId))) as string;
      const burst = licenceRenewals(net.regulator.key, target.participantId, head, 8);
      let lastSeq = 0;
      for (const e of burst) lastSeq = (await net.regulator.submit(e)).seq;
      const latest = await waitFor('the burst to be sealed', async () => {
        const b = await ledger.latestBlock();
        return b && b.header.lastSeq >= lastSeq ? b : null;
      });
      assert.ok(latest.header.height - before <= 3, `8 appends within the debounce window made ${latest.header.height - before} blocks`);
    } finally {
      await worker.close();
    }
  });

  it('the timer seals when no job can arrive (the queue is unreachable)', async () => {
    const unreachable = { SEAL_INTERVAL_MS: '300', REDIS_URL: 'redis://127.0.0.1:1' };
    const d = await startApiOnly(unreachable);
    open.push(d);
    // A separate process: a worker that never reached Redis is stopped by its signal handling.
    const worker = startChild('apps/worker/src/main.ts', d.childEnv(unreachable));
    try {
      const net = await createTestNetwork({ api: d.api, url: d.url } as Parameters<typeof createTestNetwork>[0]);
      await net.join('supplier', 'timer-supplier');
      const ledger = new LedgerClient(d.url);
      await waitFor('the timer to seal with the queue unreachable', async () => ((await ledger.latestBlock())?.header.lastSeq ?? 0) >= 2, 30_000);
    } finally {
      assert.equal(await worker.stop(), 0, worker.output());
    }
  });
});
