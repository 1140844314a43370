// PostgreSQL restarted under a running API (issue 12, reliability): while the database is down the API
// answers 503 with a stable code and a sentence (GraphQL `DATABASE_UNAVAILABLE`, /health `unavailable`),
// never INTERNAL; once the database is back it serves again by itself, without a restart. The suite runs
// its own embedded PostgreSQL (even where DATABASE_URL is set) so it can stop and start it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { EmbeddedDatabase, startEmbeddedPostgres } from '@pharmatrace/database';
import { createTestEnvironment, freePort, TestEnvironment } from './support/test-environment';
import { uniqueGln } from './support/test-network';
import { runCli } from './support/run-cli';
import { ChildHandle, startChild } from './support/split-deployment';

const KEYS_QUERY = JSON.stringify({ query: '{ ledgerKeys { kid } }' });

describe('PostgreSQL restarted under a running API', () => {
  let environment: TestEnvironment;
  let env: Record<string, string>;
  let db: EmbeddedDatabase;
  let dbPort: number;
  let api: ChildHandle | null = null;

  before(async () => {
    environment = await createTestEnvironment();
    dbPort = await freePort();
    db = await startEmbeddedPostgres(join(environment.env.PHARMATRACE_DATA_DIR, 'restartable'), dbPort);
    env = { ...environment.env, DATABASE_URL: db.url };
    delete env.EMBEDDED_PG_PORT;
    const migrated = await runCli(['migrate'], env);
    assert.equal(migrated.code, 0, migrated.stderr);
    const init = await runCli(['init', '--id', 'restart-agency', '--name', 'Agency', '--gln', uniqueGln(), '--licence', 'REG-1', '--licence-expires', '2032-01-01', '--key-out', join(env.PHARMATRACE_DATA_DIR, 'regulator.json')], env);
    assert.equal(init.code, 0, init.stderr);
  });
  after(async () => {
    await api?.stop();
    await db?.stop().catch(() => undefined);
    await environment.dispose();
  });

  const graphql = (port: number) =>
    fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: KEYS_QUERY }).then(async (r) => ({
      status: r.status,
      retryAfter: r.headers.get('retry-after'),
      body: (await r.json()) as { data?: { ledgerKeys: unknown[] } | null; errors?: Array<{ message: string; extensions: { code: string } }> },
    }));
  const health = (port: number) => fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status, () => 0);
  async function until(what: string, check: () => Promise<boolean>, ms = 60_000): Promise<void> {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}:\n${api?.output() ?? ''}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('answers 503 DATABASE_UNAVAILABLE while the database is down, and serves again by itself once it is back', async () => {
    const port = await freePort();
    api = startChild('apps/api/src/main.ts', { ...env, PORT: String(port) });
    await until('the API to start', async () => (await health(port)) === 200);
    const up = await graphql(port);
    assert.equal(up.status, 200);
    assert.ok(Array.isArray(up.body.data?.ledgerKeys), JSON.stringify(up.body));

    await db.stop();
    await until('/health to say the database is down', async () => (await health(port)) === 503);
    const down = await graphql(port);
    assert.equal(down.status, 503, JSON.stringify(down.body));
    assert.equal(down.body.errors?.[0]?.extensions.code, 'DATABASE_UNAVAILABLE');
    assert.match(down.body.errors?.[0]?.message ?? '', /database/i);
    assert.ok(Number(down.retryAfter) > 0, 'Retry-After says when to try again');
    // The patient's page: the same "cannot check right now" page, as 503 (apps get the code in JSON).
    const link = `http://127.0.0.1:${port}/01/09506000134352/21/ABC123`;
    const page = await fetch(link);
    assert.equal(page.status, 503);
    assert.match(await page.text(), /We cannot check this medicine right now/);
    const json = await fetch(link, { headers: { accept: 'application/json' } });
    assert.equal(json.status, 503);
    assert.equal(((await json.json()) as { error: { code: string } }).error.code, 'DATABASE_UNAVAILABLE');

    db = await startEmbeddedPostgres(join(environment.env.PHARMATRACE_DATA_DIR, 'restartable'), dbPort);
    await until('/health to recover', async () => (await health(port)) === 200);
    const again = await graphql(port);
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.deepEqual(again.body.data, up.body.data);
    assert.equal(api.child.exitCode, null, 'the same API process served throughout');
  });
});
