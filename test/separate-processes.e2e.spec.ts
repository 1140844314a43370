// A real deployment: migrations run explicitly, then the API and the worker run as separate processes
// on one database (and on Redis when REDIS_URL is set); the API's health probe is answered by the worker.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEmbeddedPostgres } from '@pharmatrace/database';
import { createTestEnvironment, freePort, TestEnvironment } from './support/test-environment';
import { runCli } from './support/run-cli';
import { ChildHandle, startChild } from './support/split-deployment';

describe('api and worker as separate processes', () => {
  let environment: TestEnvironment;
  let embeddedStop: (() => Promise<void>) | null = null;
  let env: Record<string, string>;
  const children: ChildHandle[] = [];

  before(async () => {
    environment = await createTestEnvironment();
    env = { ...environment.env };
    if (!env.DATABASE_URL) {
      // a stand-in for a PostgreSQL server: the processes below get it as DATABASE_URL
      const db = await startEmbeddedPostgres(env.PHARMATRACE_DATA_DIR, await freePort());
      embeddedStop = db.stop;
      env.DATABASE_URL = db.url;
    }
  });
  after(async () => {
    for (const c of children) await c.stop();
    await embeddedStop?.();
    await environment.dispose();
  });

  it('the API refuses to start on an unmigrated database, and runs after `npm run migrate`', async () => {
    const port = await freePort();
    const unmigrated = startChild('apps/api/src/main.ts', { ...env, PORT: String(port) });
    const code = await new Promise<number | null>((resolve) => unmigrated.child.once('exit', resolve));
    assert.equal(code, 1);
    assert.match(unmigrated.output(), /npm run migrate/);

    const migrated = await runCli(['migrate'], env);
    assert.equal(migrated.code, 0, migrated.stderr);

    const worker = startChild('apps/worker/src/main.ts', env);
    const api = startChild('apps/api/src/main.ts', { ...env, PORT: String(port) });
    children.push(worker, api);
    let health: { status: string; queue: { ok: boolean; workers: number; roundTripMs?: number; mode: string } } | null = null;
    for (let i = 0; i < 120 && !health?.queue.roundTripMs; i++) {
      await new Promise((r) => setTimeout(r, 250));
      health = await fetch(`http://127.0.0.1:${port}/health?probe=true`)
        .then((r) => r.json() as Promise<typeof health>)
        .catch(() => null);
    }
    assert.ok(health, `the API never answered:\n${api.output()}`);
    assert.equal(health.status, 'ok', JSON.stringify(health));
    assert.equal(health.queue.mode, env.REDIS_URL ? 'redis' : 'postgres');
    assert.ok((health.queue.roundTripMs ?? -1) >= 0, 'the worker process answered the probe');

    assert.equal(await api.stop(), 0, api.output());
    assert.equal(await worker.stop(), 0, worker.output());
  });
});
