// The platform's runtime: /health reports the database and the queue, the worker's processors consume
// jobs on whichever backend this run uses (PostgreSQL or Redis), GraphQL bounds query depth, and a bad
// configuration stops boot naming the variable.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { QueueNames } from '@pharmatrace/queue';
import { PharmaTraceClient } from '@pharmatrace/sdk';
import { waitFor, startTestServer, TestServer } from './support/test-server';
import { runNode } from './support/run-cli';
import { createTestEnvironment } from './support/test-environment';
import { createGenesisRegulator } from './support/test-network';

describe('runtime and health', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
  });
  after(async () => server?.close());

  it('/health is green and names the runtime mode of the database and the queue', async () => {
    const res = await fetch(`${server.url}/health`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { status: string; database: { ok: boolean; mode: string }; queue: { ok: boolean; mode: string; workers: number } };
    assert.equal(body.status, 'ok');
    assert.equal(body.database.mode, server.environment.mode);
    assert.equal(body.queue.mode, process.env.REDIS_URL ? 'redis' : 'postgres');
    // The worker registers with the queue asynchronously after boot (slower on a loaded machine): wait for it.
    const workers = await waitFor('the worker to connect to the queue', async () => {
      const h = (await (await fetch(`${server.url}/health`)).json()) as { queue: { workers: number } };
      return h.queue.workers >= 1 ? h.queue.workers : null;
    });
    assert.ok(workers >= 1, 'the worker is connected to the queue');
  });

  it('a health probe makes a round trip through the worker processor', async () => {
    const res = await fetch(`${server.url}/health?probe=true`);
    const body = (await res.json()) as { queue: { ok: boolean; roundTripMs: number } };
    assert.equal(res.status, 200);
    assert.equal(body.queue.ok, true);
    assert.ok(body.queue.roundTripMs >= 0);
    const job = await server.runtime.queues.queue(QueueNames.system).add('health-probe', { sentAt: new Date().toISOString(), nonce: 'n-42' });
    for (let i = 0; i < 200 && (await job.getState()) !== 'completed'; i++) await new Promise((r) => setTimeout(r, 25));
    const done = await server.runtime.queues.queue(QueueNames.system).getJob(job.id as string);
    assert.equal((done?.returnvalue as { nonce: string }).nonce, 'n-42');
  });

  it('/health turns 503 when the database is unreachable', async () => {
    const other = await startTestServer();
    try {
      await other.runtime.dataSource.destroy();
      const res = await fetch(`${other.url}/health`);
      assert.equal(res.status, 503);
      const body = (await res.json()) as { status: string; database: { ok: boolean } };
      assert.equal(body.database.ok, false);
    } finally {
      await other.close();
    }
  });

  it('GraphQL refuses queries nested beyond the depth limit with QUERY_TOO_COSTLY, before running them', async () => {
    const deep = `query { me { ${'a { '.repeat(10)}id${' }'.repeat(10)} } }`;
    const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: deep }) });
    const body = (await res.json()) as { errors: Array<{ extensions: { code: string }; message: string }> };
    assert.ok(body.errors.some((e) => e.extensions.code === 'QUERY_TOO_COSTLY' && /depth limit of 8 exceeded/i.test(e.message)), JSON.stringify(body.errors));
  });

  it('keeps its data across a restart', async () => {
    const environment = await createTestEnvironment();
    const first = await startTestServer(environment);
    let second: TestServer | undefined;
    try {
      const regulator = await createGenesisRegulator(first, 'agency-restart');
      const before = await regulator.me();
      await first.stop();
      second = await startTestServer(environment);
      const after = await new PharmaTraceClient(second.url, regulator.key).me();
      assert.deepEqual(after, before);
    } finally {
      if (second) await second.close();
      else await environment.dispose();
    }
  });

  for (const [variable, value] of [
    ['PORT', 'eighty'],
    ['DATABASE_URL', 'mysql://nope/db'],
    ['REDIS_URL', 'http://127.0.0.1'],
  ] as const) {
    it(`stops boot with a message naming a bad ${variable}`, async () => {
      const r = await runNode(['dist/apps/api/src/main.js'], { [variable]: value }, 30_000);
      assert.equal(r.code, 1);
      assert.match(r.stderr, new RegExp(`Invalid configuration: ${variable}`));
    });
  }
});
