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

/** Waits for a Redis started by startRedis to answer; fails at once if it exited (e.g. its port was taken meanwhile). */
async function redisReady(server: ChildProcess, port: number): Promise<void> {
  await waitFor(`redis to answer on port ${port}`, async () => {
    if (server.exitCode !== null || server.signalCode !== null) throw new Error(`redis-server on port ${port} exited (${server.exitCode ?? server.signalCode})`);
    return spawnSync('redis-cli', ['-p', String(port), 'ping']).stdout?.toString().includes('PONG');
  });
}

async function stopRedis(server: ChildProcess | undefined): Promise<void> {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGKILL');
  await exited;
}

describe('queue outage', { skip: hasRedis ? false : 'redis-server is not installed here' }, () => {
  let deployment: ApiOnly | undefined;
  let redis: ChildProcess | undefined;
  after(async () => {
    // Redis goes whatever the deployment's close does: a live child process would keep this file's
    // test process from exiting.
    try {
      await deployment?.close();
    } finally {
      await stopRedis(redis);
    }
  });

  it('events accepted while Redis is down are sealed once it is back', async () => {
    const port = await freePort();
    redis = startRedis(port);
    const redisUrl = `redis://127.0.0.1:${port}`;
    await redisReady(redis, port);
    deployment = await startApiOnly({ REDIS_URL: redisUrl, SEAL_INTERVAL_MS: '500' });
    const worker = await deployment.startWorker();
    try {
      const net = await createTestNetwork({ api: deployment.api, url: deployment.url } as Parameters<typeof createTestNetwork>[0]);
      const target = await net.join('pharmacy', 'outage-pharmacy');
      const ledger = new LedgerClient(deployment.url);
      await waitFor('the first events to be sealed', async () => ((await ledger.latestBlock())?.header.lastSeq ?? 0) >= 2);

      await stopRedis(redis);
      const head = (await net.regulator.assetHead(participantAssetId(target.participantId))) as string;
      const started = Date.now();
      const receipts = await net.regulator.submitMany(licenceRenewals(net.regulator.key, target.participantId, head, 20));
      assert.ok(Date.now() - started < 5000, 'accepting events does not wait on the queue');
      const health = await fetch(`${deployment.url}/health`);
      assert.equal(health.status, 503);
      assert.equal(((await health.json()) as { queue: { ok: boolean } }).queue.ok, false);

      redis = startRedis(port);
      await redisReady(redis, port);
      const lastSeq = receipts[receipts.length - 1].seq;
      await waitFor('the events accepted during the outage to be sealed', async () => ((await ledger.latestBlock())?.header.lastSeq ?? 0) >= lastSeq, 30_000);
      await waitFor('health to recover', async () => (await fetch(`${deployment?.url}/health`)).status === 200, 30_000);
    } finally {
      await worker.close();
    }
  });
});
