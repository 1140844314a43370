// The API process alone (real deployments: many replicas, migrations run explicitly).
import 'reflect-metadata';
import { loadConfig } from '@pharmatrace/config';
import { runUntilSignal, startRuntime } from '@pharmatrace/runtime';
import { createApi } from './create-api';

runUntilSignal(async () => {
  const runtime = await startRuntime(loadConfig());
  const app = await createApi(runtime);
  console.log(`PharmaTrace API on ${await app.getUrl()}/graphql`);
  return async () => {
    await app.close();
    await runtime.close();
  };
});
