// Where the integration and end-to-end suites run: on the embedded default (no variables), or on the
// machine's real PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set (as .ci/run does). Each
// suite gets its own fresh database (or embedded data folder) and its own queue namespace.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

export interface TestEnvironment {
  /** Environment variables for a process (or loadConfig) to run against this suite's stores. */
  env: Record<string, string>;
  mode: 'embedded' | 'external';
  dispose(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export async function createTestEnvironment(): Promise<TestEnvironment> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pharmatrace-test-'));
  const suffix = Math.random().toString(36).slice(2, 10);
  const base: Record<string, string> = {
    PHARMATRACE_DATA_DIR: dataDir,
    QUEUE_PREFIX: `t_${suffix}`,
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'false',
    // Suites make many clients sign in from one address and poll public reads while they wait; the
    // rate-limit suite sets its own small limits.
    RATE_LIMIT_PUBLIC_PER_CLIENT: '1000000',
    RATE_LIMIT_PUBLIC_READS_PER_CLIENT: '10000000',
  };
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    base.EMBEDDED_PG_PORT = String(await freePort());
    return { env: base, mode: 'embedded', dispose: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const dbName = `pharmatrace_t_${suffix}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${dbName}`;
  base.DATABASE_URL = url.toString();
  if (process.env.REDIS_URL) base.REDIS_URL = process.env.REDIS_URL;
  return {
    env: base,
    mode: 'external',
    dispose: async () => {
      const c = new Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await c.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
