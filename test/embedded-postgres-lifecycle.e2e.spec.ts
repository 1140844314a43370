// The embedded PostgreSQL's life cycle on a real server: a stale postmaster.pid naming a reused PID is
// never signalled, stop() is bounded even when the server died under it or ignores SIGINT, and a
// postmaster whose owner is alive is refused while one whose owner died is stopped.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  EMBEDDED_PG_ESCALATION_WAIT_MS,
  EMBEDDED_PG_STOP_TIMEOUT_MS,
  EmbeddedDatabase,
  isPostmasterOf,
  startEmbeddedPostgres,
} from '@pharmatrace/database';
import { createTestEnvironment, freePort, TestEnvironment } from './support/test-environment';

const linux = existsSync('/proc/self/cmdline');
/** The most a stop() may take with the default timeout, plus slack for a busy machine. */
const STOP_BOUND_MS = EMBEDDED_PG_STOP_TIMEOUT_MS + 2 * EMBEDDED_PG_ESCALATION_WAIT_MS + 5_000;

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !['Z', 'X'].includes(stat.slice(stat.lastIndexOf(')') + 2)[0]);
  } catch {
    return false;
  }
}

function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

async function waitFor(what: string, done: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Settles as `p` does, or rejects once `ms` have passed: a hang fails the test instead of the run. */
async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function selectOne(url: string): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    assert.equal((await c.query('SELECT 1 AS one')).rows[0].one, 1);
  } finally {
    await c.end();
  }
}

describe('embedded PostgreSQL life cycle', { skip: !linux && 'needs Linux /proc' }, () => {
  let environment: TestEnvironment;
  let dataDir: string;
  let databaseDir: string;
  let pidFile: string;
  /** postmaster.pid as a running server wrote it, and the postgres binary it runs. */
  let lockFileText: string;
  let postgresBinary: string;
  const started: ChildProcess[] = [];
  const servers: EmbeddedDatabase[] = [];

  const postmasterPid = (): number => Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  async function start(options: { stopTimeoutMs?: number } = {}): Promise<EmbeddedDatabase> {
    const db = await startEmbeddedPostgres(dataDir, await freePort(), options);
    servers.push(db);
    return db;
  }

  before(async () => {
    environment = await createTestEnvironment();
    dataDir = environment.env.PHARMATRACE_DATA_DIR;
    databaseDir = join(dataDir, 'postgres');
    pidFile = join(databaseDir, 'postmaster.pid');
    const db = await start();
    lockFileText = readFileSync(pidFile, 'utf8');
    postgresBinary = readFileSync(`/proc/${postmasterPid()}/cmdline`, 'utf8').split('\0')[0];
    await db.stop();
  });

  after(async () => {
    for (const db of servers) await db.stop().catch(() => undefined);
    for (const c of started) if (c.pid !== undefined && c.exitCode === null && c.signalCode === null) process.kill(c.pid, 'SIGKILL');
    await environment.dispose();
  });

  function sleep60(): Promise<ChildProcess> {
    // Working in the data folder, as a postmaster would: only its program tells it apart.
    const child = spawn('sleep', ['60'], { cwd: databaseDir, stdio: 'ignore' });
    started.push(child);
    return new Promise((resolve, reject) => {
      child.once('spawn', () => resolve(child));
      child.once('error', reject);
    });
  }

  it('verifies the real postmaster of its folder, and nothing else', async () => {
    const db = await start();
    const pid = postmasterPid();
    assert.equal(isPostmasterOf(pid, databaseDir), true);
    assert.equal(isPostmasterOf(pid, `${databaseDir}/`), true, 'the same folder spelled differently');
    assert.equal(isPostmasterOf(pid, dataDir), false, 'another folder');
    assert.equal(isPostmasterOf(process.pid, databaseDir), false, 'this test process');
    const sleep = await sleep60();
    assert.equal(isPostmasterOf(sleep.pid as number, databaseDir), false, 'a sleep process in the data folder');
    process.kill(sleep.pid as number, 'SIGKILL');
    await within(db.stop(), STOP_BOUND_MS, 'stop()');
    assert.equal(isPostmasterOf(pid, databaseDir), false, 'once stopped');
  });

  it('a stale postmaster.pid naming a reused PID: nothing is signalled, the lock is dropped and the server starts', async () => {
    const sleep = await sleep60();
    const pid = sleep.pid as number;
    let signalled: NodeJS.Signals | null = null;
    sleep.once('exit', (_code, signal) => (signalled = signal));
    assert.equal(existsSync(pidFile), false, 'the last stop removed the lock file');
    writeFileSync(pidFile, lockFileText.replace(/^\d+\n/, `${pid}\n`));

    const db = await start();
    try {
      await selectOne(db.url);
      assert.notEqual(postmasterPid(), pid, 'the lock file now names the new postmaster');
      assert.equal(isPostmasterOf(postmasterPid(), databaseDir), true);
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(signalled, null, 'the sleep process got no signal');
      assert.ok(running(pid), 'the sleep process is still alive');
    } finally {
      await within(db.stop(), STOP_BOUND_MS, 'stop()');
    }
    assert.ok(running(pid), 'the sleep process is still alive after the server stopped');
    process.kill(pid, 'SIGKILL');
  });

  it('stop() finishes after the postmaster was killed under it, and the folder starts again', async () => {
    const db = await start();
    const pid = postmasterPid();
    process.kill(pid, 'SIGKILL');
    // Until this process has reaped it (and so seen it exit), the PID still exists.
    await waitFor('the killed postmaster to be reaped', () => !exists(pid));
    await within(db.stop(), STOP_BOUND_MS, 'stop() after SIGKILL');
    await within(db.stop(), 1_000, 'a second stop()');

    const again = await start();
    await selectOne(again.url);
    await within(again.stop(), STOP_BOUND_MS, 'stop()');
  });

  it('stop() of a postmaster that does not answer SIGINT escalates to SIGKILL and says so, within its bound', async () => {
    const stopTimeoutMs = 500;
    const db = await start({ stopTimeoutMs });
    const pid = postmasterPid();
    process.kill(pid, 'SIGSTOP'); // pending SIGINT and SIGQUIT are not acted on; SIGKILL is
    const bound = stopTimeoutMs + 2 * EMBEDDED_PG_ESCALATION_WAIT_MS + 5_000;
    await assert.rejects(within(db.stop(), bound, 'stop() of a stopped postmaster'), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'EMBEDDED_DATABASE_STOP_FAILED', e.message);
      assert.match(e.message, /SIGKILL/);
      return true;
    });
    await waitFor('the killed postmaster to go', () => !running(pid), 5_000);
  });

  it('refuses a folder whose postmaster has a live owner; stops it once the owner is gone', async (t) => {
    // A postmaster under a shell that waits for it: the shell stands for a running `npm start`.
    const port = await freePort();
    const asRoot = process.getuid?.() === 0;
    const ids = asRoot ? { uid: Number(execFileSync('id', ['-u', 'postgres'])), gid: Number(execFileSync('id', ['-g', 'postgres'])) } : {};
    const owner = spawn('sh', ['-c', '"$0" -D "$1" -p "$2" -c listen_addresses=127.0.0.1; exit 0', postgresBinary, databaseDir, String(port)], {
      ...ids,
      stdio: 'ignore',
    });
    started.push(owner);
    let pid = 0;
    await waitFor('the owned postmaster', () => {
      pid = existsSync(pidFile) ? postmasterPid() : 0;
      return pid > 0 && readFileSync(pidFile, 'utf8').includes('ready') && parentOf(pid) === owner.pid;
    });
    try {
      await assert.rejects(start(), (e: Error & { code?: string }) => e.code === 'EMBEDDED_DATABASE_IN_USE');
      assert.ok(running(pid) && isPostmasterOf(pid, databaseDir), 'the owned postmaster was left alone');

      process.kill(owner.pid as number, 'SIGKILL');
      await waitFor('the postmaster to be orphaned', () => parentOf(pid) !== owner.pid);
      if (parentOf(pid) !== 1) {
        // Adopted by a subreaper that is alive: by the rule above it is still owned, so start-up refuses.
        t.diagnostic(`the orphaned postmaster was adopted by ${parentOf(pid)}, not init: only the refusal is checked`);
        await assert.rejects(start(), (e: Error & { code?: string }) => e.code === 'EMBEDDED_DATABASE_IN_USE');
        return;
      }
      const db = await start();
      assert.equal(running(pid), false, 'the orphaned postmaster was stopped');
      await selectOne(db.url);
      await within(db.stop(), STOP_BOUND_MS, 'stop()');
    } finally {
      if (running(pid) && isPostmasterOf(pid, databaseDir)) {
        process.kill(pid, 'SIGINT');
        await waitFor('the owned postmaster to stop', () => !running(pid)).catch(() => process.kill(pid, 'SIGKILL'));
      }
    }
  });
});
