// Which process may be signalled as a data folder's postmaster: only one /proc shows to be a postgres
// binary serving that folder. (A real postmaster is verified in test/embedded-postgres-lifecycle.e2e.spec.ts.)
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPostmasterOf, postmasterIdentity } from './embedded-postgres';

const linux = existsSync('/proc/self/cmdline');

function sleeper(command: string, cwd: string): Promise<ChildProcess> {
  const child = spawn(command, ['60'], { cwd, stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    child.once('spawn', () => resolve(child));
    child.once('error', reject);
  });
}

describe('isPostmasterOf', { skip: !linux && 'needs Linux /proc' }, () => {
  const root = mkdtempSync(join(tmpdir(), 'pharmatrace-pm-'));
  const databaseDir = join(root, 'postgres');
  mkdirSync(databaseDir);
  const started: ChildProcess[] = [];
  after(() => {
    for (const c of started) if (c.pid !== undefined && c.exitCode === null && c.signalCode === null) process.kill(c.pid, 'SIGKILL');
    rmSync(root, { recursive: true, force: true });
  });

  it('is false for this very process', () => {
    assert.equal(isPostmasterOf(process.pid, databaseDir), false);
    assert.equal(postmasterIdentity(process.pid, databaseDir), 'other');
    assert.equal(isPostmasterOf(process.pid, process.cwd()), false, 'not even for its own working directory');
  });

  it('is false for a `sleep` working in the data folder itself (the program must be postgres)', async () => {
    const sleep = await sleeper('sleep', databaseDir);
    started.push(sleep);
    assert.equal(isPostmasterOf(sleep.pid as number, databaseDir), false);
    assert.equal(postmasterIdentity(sleep.pid as number, databaseDir), 'other');
    process.kill(sleep.pid as number, 'SIGKILL');
  });

  it('is false for a program named postgres that serves another folder', async () => {
    const fake = join(root, 'postgres-bin');
    mkdirSync(fake);
    copyFileSync('/bin/sleep', join(fake, 'postgres'));
    const elsewhere = await sleeper(join(fake, 'postgres'), root);
    started.push(elsewhere);
    assert.equal(isPostmasterOf(elsewhere.pid as number, databaseDir), false);
    assert.equal(postmasterIdentity(elsewhere.pid as number, databaseDir), 'other');
    process.kill(elsewhere.pid as number, 'SIGKILL');
  });

  it('is false for a PID that runs nothing, and for values that are not PIDs', async () => {
    const gone = await sleeper('sleep', root);
    const exited = new Promise((r) => gone.once('exit', r));
    process.kill(gone.pid as number, 'SIGKILL');
    await exited;
    assert.equal(isPostmasterOf(gone.pid as number, databaseDir), false);
    for (const pid of [0, -1, 1.5, Number.NaN, 2 ** 53]) assert.equal(isPostmasterOf(pid, databaseDir), false, String(pid));
  });
});
