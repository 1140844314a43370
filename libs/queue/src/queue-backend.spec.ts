// Closing the Redis queue backend while Redis is unreachable: nothing may wait for Redis, and nothing
// may be left running (a worker whose close never finishes keeps its lock-renewal timer, and so its
// process, alive forever). The last case uses a Redis server of its own when redis-server is installed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { AppConfig } from '@pharmatrace/config';
import { ClosableRedis } from './closable-redis';
import { createQueueBackend } from './queue-backend';

const hasRedis = spawnSync('redis-server', ['--version']).status === 0;

/** A port nothing listens on (it was free a moment ago). */
async function deadPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

function redisConfig(port: number): AppConfig {
  return { redisUrl: `redis://127.0.0.1:${port}`, queuePrefix: `unit_${Math.random().toString(36).slice(2, 8)}` } as AppConfig;
}

/** Rejects when `p` has not settled within `ms` (the timer never outlives the race). */
async function within<T>(what: string, p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('ClosableRedis', () => {
  it('a client between two reconnection attempts ends at once when disconnected, failing its queued commands', async () => {
    const client = new ClosableRedis(`redis://127.0.0.1:${await deadPort()}`, { maxRetriesPerRequest: null });
    client.on('error', () => undefined);
    const copy = client.duplicate();
    copy.on('error', () => undefined);
    await until(() => client.status === 'reconnecting' && copy.status === 'reconnecting');
    const pending = client.ping();
    const ended = once(copy, 'end');
    client.disconnectAll();
    assert.equal(client.status, 'end');
    await within('the copy ending', ended, 1000);
    await assert.rejects(pending, /Connection is closed/);
    client.disconnect(); // again: a no-op on a closed client
    assert.equal(client.status, 'end');
  });
});

describe('Redis queue backend shutdown', () => {
  it('closes, bounded, a worker that never reached Redis', async () => {
    const backend = createQueueBackend(redisConfig(await deadPort()), '');
    const worker = backend.worker('ledger', async () => undefined);
    let closed = false;
    worker.once('closed', () => (closed = true));
    backend.queue('ledger');
    await new Promise((r) => setTimeout(r, 300));
    await within('backend.close()', backend.close(), 10_000);
    assert.equal(closed, true, 'the worker finished closing (its timers are stopped)');
    assert.equal(worker.isRunning(), false);
  });

  it('a worker closes while Redis is down, without waiting for it to come back', { skip: hasRedis ? false : 'redis-server is not installed here', timeout: 30_000 }, async () => {
    const port = await deadPort();
    const redis: ChildProcess = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const backend = createQueueBackend(redisConfig(port), '');
    try {
      const worker = backend.worker('ledger', async () => 'done');
      let closed = false;
      worker.once('closed', () => (closed = true));
      await within('the worker connecting', worker.waitUntilReady(), 10_000);
      const job = await backend.queue('ledger').add('seal', { lastSeq: 1 });
      await within('the job completing', (async () => {
        while ((await job.getState()) !== 'completed') await new Promise((r) => setTimeout(r, 20));
      })(), 10_000);
      // No job in flight: the worker is idle on its blocking connection when Redis dies.
      redis.kill('SIGKILL');
      await once(redis, 'exit');
      // Long enough for the worker's connections to be between two reconnection attempts.
      await new Promise((r) => setTimeout(r, 1000));
      // The graceful close itself, not the forced one: it used to wait for Redis forever.
      await within('worker.close()', worker.close(), 10_000);
      assert.equal(closed, true);
      await within('backend.close()', backend.close(), 10_000);
    } finally {
      if (redis.exitCode === null && redis.signalCode === null) redis.kill('SIGKILL');
      await backend.close();
    }
  });
});
