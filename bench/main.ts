// `npm run bench`: every figure is printed beside its raw baseline measured in the same run, so the
// ratio survives a noisy machine. Runs on the embedded default unless DATABASE_URL/REDIS_URL are set.
import 'reflect-metadata';
import { cryptoBench } from './crypto.bench';
import { pipelineBench } from './pipeline.bench';
import { sealingBench } from './sealing.bench';
import { custodyBench } from './custody.bench';
import { limitsBench } from './limits.bench';

async function main(): Promise<void> {
  console.log('== crypto and Merkle');
  await cryptoBench();
  console.log('== signed-event pipeline');
  await pipelineBench();
  console.log('== blocks and proofs');
  await sealingBench();
  console.log('== custody');
  await custodyBench();
  console.log('== bounded work per request');
  await limitsBench();
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
