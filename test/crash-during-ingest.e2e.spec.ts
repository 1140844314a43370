// Crash during a bulk ingest (issue 12, reliability): the API process is killed with SIGKILL while the
// transaction of a 20,000-pack commissioning holds the log lock. PostgreSQL rolls the transaction back:
// nothing is half-applied, the log stays gapless, the call can be made again in full, and the audit of
// the database passes. Real processes on a real database (embedded, or DATABASE_URL in CI).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { commissionPacks, generateKeyFile, keySpecOf, PharmaTraceClient, readKeyFile, registerParticipant } from '@pharmatrace/sdk';
import { productAndBatch } from './support/custody-fixture';
import { createTestEnvironment, freePort, TestEnvironment } from './support/test-environment';
import { LICENCE, uniqueGln } from './support/test-network';
import { runCli } from './support/run-cli';
import { ChildHandle, DeploymentDatabase, deploymentDatabase, startChild, waitUntilHealthy } from './support/split-deployment';

const PACKS = 20_000;

describe('the API killed during a bulk ingest', () => {
  let environment: TestEnvironment;
  let deployment: DeploymentDatabase;
  let env: Record<string, string>;
  let db: Client;
  const children: ChildHandle[] = [];

  async function startApi(port: number): Promise<ChildHandle> {
    const api = startChild('apps/api/src/main.ts', { ...env, PORT: String(port) });
    children.push(api);
    await waitUntilHealthy(port, api);
    return api;
  }
  const count = async (sql: string): Promise<number> => Number(((await db.query(sql)).rows[0] as { n: string }).n);

  before(async () => {
    environment = await createTestEnvironment();
    deployment = await deploymentDatabase(environment);
    env = deployment.env;
    db = new Client({ connectionString: env.DATABASE_URL });
    await db.connect();
  });
  after(async () => {
    await db?.end();
    for (const c of children) await c.stop();
    await deployment?.stop();
    await environment.dispose();
  });

  it('nothing of the call is stored, the log stays gapless, the call succeeds in full afterwards, and the audit passes', async () => {
    const port = await freePort();
    let api = await startApi(port);
    const url = `http://127.0.0.1:${port}`;
    const regulator = new PharmaTraceClient(url, readKeyFile(deployment.regulatorKeyPath));
    const makerKey = generateKeyFile('crash maker operator', 'operator', 'crash-maker');
    await registerParticipant(regulator, { id: 'crash-maker', legalName: 'Crash Maker Ltd', role: 'manufacturer', gln: uniqueGln(), licence: LICENCE, keys: [keySpecOf(makerKey)] });
    const maker = new PharmaTraceClient(url, makerKey);
    const { batch } = await productAndBatch(maker, PACKS);
    const before = await count('SELECT count(*) AS n FROM ledger_events');

    // The call goes out; once its transaction is open under the log lock (a backend other than ours
    // inside a transaction that wrote to the log), the API process is killed outright.
    const call = commissionPacks(maker, batch, PACKS).then(
      () => 'answered',
      () => 'cut off',
    );
    // Another backend than ours, inside a transaction, holding the write lock on the log table.
    const writing = async (): Promise<boolean> =>
      (await count(`SELECT count(*) AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                    WHERE l.locktype = 'relation' AND l.mode = 'RowExclusiveLock' AND l.relation = 'ledger_events'::regclass
                      AND a.pid <> pg_backend_pid() AND a.xact_start IS NOT NULL`)) > 0;
    let caught = false;
    for (let i = 0; i < 1000 && !caught; i++) {
      caught = await writing();
      if (!caught) await new Promise((r) => setTimeout(r, 5));
    }
    assert.ok(caught, 'the commissioning transaction was seen writing to the log before the kill');
    api.child.kill('SIGKILL');
    assert.equal(await call, 'cut off');

    // PostgreSQL notices the dead client, ends its session and rolls its transaction back.
    for (let i = 0; i < 600 && (await writing()); i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await writing(), false, 'the transaction of the killed process has ended');
    assert.equal(await count('SELECT count(*) AS n FROM ledger_events'), before, 'no event of the killed call was stored');
    assert.equal(await count(`SELECT count(*) AS n FROM custody_items WHERE batch_id = '${batch.replace(/'/g, "''")}'`), 0, 'no pack of the killed call exists');
    const gapless = await count('SELECT count(*) AS n FROM ledger_events e WHERE e.seq > 1 AND NOT EXISTS (SELECT 1 FROM ledger_events p WHERE p.seq = e.seq - 1)');
    assert.equal(gapless, 0);

    // A restarted API takes the same call in full.
    api = await startApi(port);
    const redone = await commissionPacks(maker, batch, PACKS);
    assert.equal(redone.serials.length, PACKS);
    assert.equal(await count(`SELECT count(*) AS n FROM custody_items WHERE batch_id = '${batch.replace(/'/g, "''")}'`), PACKS);
    assert.equal(await api.stop(), 0, api.output());

    const audit = await runCli(['audit'], env);
    assert.equal(audit.code, 0, audit.stderr);
    assert.match(audit.stdout, /^AUDIT OK: /);
  });
});
