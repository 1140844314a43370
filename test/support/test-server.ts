// Boots the real platform in-process — migrations, worker and API on a free port — against a
// suite's own stores, exactly as `npm start` does but without the demo network.
import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@pharmatrace/config';
import { BlockSealer } from '@pharmatrace/ledger';
import { Runtime, startRuntime } from '@pharmatrace/runtime';
import { createApi } from '../../apps/api/src/create-api';
import { createWorker } from '../../apps/worker/src/create-worker';
import { createTestEnvironment, TestEnvironment } from './test-environment';

export interface TestServer {
  url: string;
  runtime: Runtime;
  api: NestFastifyApplication;
  worker: INestApplicationContext;
  environment: TestEnvironment;
  /** Number of events in the log: rejected inputs must leave it unchanged. */
  eventCount(): Promise<number>;
  stop(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestServer(environment?: TestEnvironment, overrides: Record<string, string> = {}): Promise<TestServer> {
  const env = environment ?? (await createTestEnvironment());
  const runtime = await startRuntime(loadConfig({ ...env.env, PORT: '0', ...overrides }), { migrate: true });
  const worker = await createWorker(runtime);
  const api = await createApi(runtime, 0);
  const url = (await api.getUrl()).replace('[::1]', '127.0.0.1');
  const stop = async () => {
    await api.close();
    await worker.close();
    await runtime.close();
  };
  return {
    url,
    runtime,
    api,
    worker,
    environment: env,
    async eventCount() {
      const rows: Array<{ n: string }> = await runtime.dataSource.query('SELECT count(*) AS n FROM ledger_events');
      return Number(rows[0].n);
    },
    stop,
    async close() {
      await stop();
      await env.dispose();
    },
  };
}

/** Polls `check` until it returns a value (not undefined/false/null) or the time runs out. */
export async function waitFor<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Seals until every event in the log is in a block. The worker's own timer may be sealing at the same
 * moment (then this sealer's try-lock yields), so it retries until the log is covered.
 */
export async function sealEverything(server: TestServer): Promise<void> {
  const sealer = server.worker.get(BlockSealer);
  await waitFor('every event to be sealed', async () => {
    await sealer.sealPending();
    const [{ covered }]: Array<{ covered: boolean }> = await server.runtime.dataSource.query(
      'SELECT (SELECT last_seq FROM ledger_counter) <= COALESCE((SELECT max(last_seq) FROM ledger_blocks), 0) AS covered',
    );
    return covered;
  });
}
