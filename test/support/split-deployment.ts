// A deployment split the way production runs it: the API in this process, workers as separate
// processes (or started and stopped here), all on one database that child processes reach by URL.
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { INestApplicationContext } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@pharmatrace/config';
import { Runtime, startRuntime } from '@pharmatrace/runtime';
import { createApi } from '../../apps/api/src/create-api';
import { createWorker } from '../../apps/worker/src/create-worker';
import { startEmbeddedPostgres } from '@pharmatrace/database';
import { createTestEnvironment, freePort, TestEnvironment } from './test-environment';
import { runCli } from './run-cli';
import { uniqueGln } from './test-network';

const ROOT = join(__dirname, '..', '..');

/** `apps/api/src/main.ts` → the compiled `dist/apps/api/src/main.js` that `npm run start:api` runs. */
function compiled(entry: string): string {
  return join(ROOT, 'dist', entry.replace(/\.ts$/, '.js'));
}

export interface ApiOnly {
  url: string;
  runtime: Runtime;
  api: NestFastifyApplication;
  environment: TestEnvironment;
  /** Environment for a child process to join this deployment's database (and queue). */
  childEnv(extra?: Record<string, string>): Record<string, string>;
  /** An in-process worker on this deployment (stop it with `.close()`). */
  startWorker(): Promise<INestApplicationContext>;
  close(): Promise<void>;
}

export async function startApiOnly(overrides: Record<string, string> = {}): Promise<ApiOnly> {
  const environment = await createTestEnvironment();
  const env = { ...environment.env, PORT: '0', ...overrides };
  const runtime = await startRuntime(loadConfig(env), { migrate: true });
  const api = await createApi(runtime, 0);
  const url = (await api.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    url,
    runtime,
    api,
    environment,
    childEnv: (extra = {}) => ({ ...env, DATABASE_URL: runtime.databaseUrl, ...extra }),
    startWorker: () => createWorker(runtime),
    async close() {
      // Each step runs even when the one before it failed: a runtime left open (queue connections,
      // an embedded PostgreSQL child) would keep the test process alive after its suite finished.
      try {
        await api.close();
      } finally {
        try {
          await runtime.close();
        } finally {
          await environment.dispose();
        }
      }
    },
  };
}

export interface ChildHandle {
  child: ChildProcess;
  output(): string;
  /** SIGTERM and wait; returns the exit code (null when killed by a signal). */
  stop(): Promise<number | null>;
}

export function startChild(entry: string, env: Record<string, string>): ChildHandle {
  let output = '';
  const child = spawn(process.execPath, ['--enable-source-maps', compiled(entry)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  return {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** A database for processes started as children: migrated, with the genesis regulator made by `cli init`. */
export interface DeploymentDatabase {
  /** The suite's environment with DATABASE_URL set (and EMBEDDED_PG_PORT removed). */
  env: Record<string, string>;
  /** The regulator's key file, as `cli init --key-out` wrote it. */
  regulatorKeyPath: string;
  /** Stops the embedded PostgreSQL this helper started (nothing when DATABASE_URL came from outside). */
  stop(): Promise<void>;
}

/**
 * The suite's DATABASE_URL (CI's PostgreSQL), or an embedded PostgreSQL started here, then `cli migrate`
 * and `cli init` run the way an operator would.
 */
export async function deploymentDatabase(environment: TestEnvironment, extra: Record<string, string> = {}): Promise<DeploymentDatabase> {
  const env: Record<string, string> = { ...environment.env, ...extra };
  let stop = async (): Promise<void> => undefined;
  if (!env.DATABASE_URL) {
    const db = await startEmbeddedPostgres(env.PHARMATRACE_DATA_DIR, await freePort());
    stop = db.stop;
    env.DATABASE_URL = db.url;
  }
  delete env.EMBEDDED_PG_PORT;
  const migrated = await runCli(['migrate'], env);
  if (migrated.code !== 0) throw new Error(`cli migrate failed: ${migrated.stderr}`);
  const regulatorKeyPath = join(env.PHARMATRACE_DATA_DIR, 'regulator.json');
  const init = await runCli(['init', '--id', 'regulator-1', '--name', 'Agency', '--gln', uniqueGln(), '--licence', 'REG-1', '--licence-expires', '2032-01-01', '--key-out', regulatorKeyPath], env);
  if (init.code !== 0) throw new Error(`cli init failed: ${init.stderr}`);
  return { env, regulatorKeyPath, stop };
}

/** Waits until the API on `port` answers /health with 200; fails with the child's output otherwise. */
export async function waitUntilHealthy(port: number, child: ChildHandle, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the API on port ${port} did not become healthy:\n${child.output()}`);
}
