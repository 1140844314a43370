// The worker process alone (real deployments: as many as needed; no HTTP).
import 'reflect-metadata';
import { loadConfig } from '@pharmatrace/config';
import { runUntilSignal, startRuntime } from '@pharmatrace/runtime';
import { createWorker } from './create-worker';

runUntilSignal(async () => {
  const runtime = await startRuntime(loadConfig());
  const worker = await createWorker(runtime);
  console.log(`PharmaTrace worker consuming queues on ${runtime.queues.mode}`);
  return async () => {
    await worker.close();
    await runtime.close();
  };
});
