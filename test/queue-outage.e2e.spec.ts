// Redis goes down under a running deployment: the API keeps accepting events, /health says the queue is
// down, and once Redis is back every event accepted meanwhile is sealed. Uses a Redis server of its own
// (so the machine's is never touched); skipped where no redis-server binary is installed.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { participantAssetId } from '@pharmatrace/participants/participant-events';
import { LedgerClient } from '@pharmatrace/sdk';
import { ApiOnly, startApiOnly } from './support/split-deployment';
import { freePort } from './support/test-environment';
import { createTestNetwork } from './support/test-network';
import { licenceRenewals } from './support/bulk-events';
import { waitFor } from './support/test-server';

const hasRedis = spawnSync('redis-server', ['--version']).status === 0;

function startRedis(port: number): ChildProcess {
  return spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
}

describe('queue outage', { skip: hasRedis ? false : 'redis-server is not installed here' }, () => {
  let deployment: ApiOnly | undefined;
  let redis: ChildProcess | undefined;
  after(async () => {
    await deployment?.close();
    redis?.kill('SIGKILL');
    const dump = () => {
      const hs = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
      const desc = hs.map((h: any) => {
        const n = h?.constructor?.name;
        if (n === 'Socket') return `Socket fd=${h._handle?.fd} ${h.localAddress}:${h.localPort} -> ${h.remoteAddress}:${h.remotePort} destroyed=${h.destroyed} connecting=${h.connecting} pending=${h.pending}`;
        if (n === 'ChildProcess') return `ChildProcess pid=${h.pid} ${h.spawnargs?.join(' ')}`;
        if (n === 'Timeout') return `Timeout ${h._idleTimeout} ${String(h._onTimeout).slice(0, 300)}`;
        return String(n);
      });
      process.stderr.write(`\n[DIAG ${process.pid}] active handles ${hs.length}:\n  ${desc.join('\n  ')}\n`);
      const rs = (process as unknown as { getActiveResourcesInfo(): string[] }).getActiveResourcesInfo();
      process.stderr.write(`[DIAG] resources: ${rs.join(', ')}\n`);
    };
    setTimeout(dump, 5000).unref();
    setTimeout(dump, 20000).unref();
  });

  it('events accepted while Redis is down are sealed once it is back', async () => {
    const port = await freePort();
    redis = startRedis(port);
    const redisUrl = `redis://127.0.0.1:${port}`;
    await waitFor('redis to start', async () => spawnSync('redis-cli', ['-p', String(port), 'ping']).stdout?.toString().includes('PONG'));
    deployment = await startApiOnly({ REDIS_URL: redisUrl, SEAL_INTERVAL_MS: '500' });
    const worker = await deployment.startWorker();
    try {
      const net = await createTestNetwork({ api: deployment.api, url: deployment.url } as Parameters<typeof createTestNetwork>[0]);
      const target = await net.join('pharmacy', 'outage-pharmacy');
      const ledger = new LedgerClient(deployment.url);
      await waitFor('the first events to be sealed', async () => ((await ledger.latestBlock())?.header.lastSeq ?? 0) >= 2);

      redis.kill('SIGKILL');
      await new Promise((r) => redis?.once('exit', r));
      const head = (await net.regulator.assetHead(participantAssetId(target.participantId))) as string;
      const started = Date.now();
      const receipts = await net.regulator.submitMany(licenceRenewals(net.regulator.key, target.participantId, head, 20));
      assert.ok(Date.now() - started < 5000, 'accepting events does not wait on the queue');
      const health = await fetch(`${deployment.url}/health`);
      assert.equal(health.status, 503);
      assert.equal(((await health.json()) as { queue: { ok: boolean } }).queue.ok, false);

      redis = startRedis(port);
      const lastSeq = receipts[receipts.length - 1].seq;
      await waitFor('the events accepted during the outage to be sealed', async () => ((await ledger.latestBlock())?.header.lastSeq ?? 0) >= lastSeq, 30_000);
      await waitFor('health to recover', async () => (await fetch(`${deployment?.url}/health`)).status === 200, 30_000);
    } finally {
      await worker.close();
    }
  });
});
