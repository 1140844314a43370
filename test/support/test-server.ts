// Boots the real platform in-process — migrations, worker and API on a free port — against a
// suite's own stores, exactly as `npm start` does but without the demo network.
import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@pharmatrace/config';
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

export async function startTestServer(environment?: TestEnvironment): Promise<TestServer> {
  const env = environment ?? (await createTestEnvironment());
  const runtime = await startRuntime(loadConfig({ ...env.env, PORT: '0' }), { migrate: true });
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
