// `npm run bench`: every figure is printed beside its raw baseline measured in the same run, so the
// ratio survives a noisy machine. Runs on the embedded default unless DATABASE_URL/REDIS_URL are set.
// `npm run bench -- recalls custody` (or BENCH_ONLY=recalls,custody) runs only the sections named.
import 'reflect-metadata';
import { cryptoBench } from './crypto.bench';
import { pipelineBench } from './pipeline.bench';
import { sealingBench } from './sealing.bench';
import { custodyBench } from './custody.bench';
import { limitsBench } from './limits.bench';
import { recallsBench } from './recalls.bench';
import { labelsBench } from './labels.bench';
import { cliBench } from './cli.bench';
import { soakBench } from './soak.bench';
import { verificationBench } from './verification.bench';

const sections: Array<[key: string, title: string, run: () => Promise<void>]> = [
  ['crypto', 'crypto and Merkle', cryptoBench],
  ['pipeline', 'signed-event pipeline', pipelineBench],
  ['sealing', 'blocks and proofs', sealingBench],
  ['custody', 'custody', custodyBench],
  ['limits', 'bounded work per request', limitsBench],
  ['recalls', 'recalls and tracing', recallsBench],
  ['labels', 'pack labels', labelsBench],
  ['verification', 'patient verification under load', verificationBench],
  ['cli', 'CLI and server start-up', cliBench],
  ['soak', 'soak: mixed load with memory sampled', soakBench],
];

async function main(): Promise<void> {
  const wanted = [...process.argv.slice(2), ...(process.env.BENCH_ONLY ?? '').split(',')].map((s) => s.trim()).filter((s) => s.length > 0);
  const unknown = wanted.filter((w) => !sections.some(([key]) => key === w));
  if (unknown.length > 0) throw new Error(`Unknown bench section(s) ${unknown.join(', ')}; choose from ${sections.map(([key]) => key).join(', ')}.`);
  for (const [key, title, run] of sections) {
    if (wanted.length > 0 && !wanted.includes(key)) continue;
    console.log(`== ${title}`);
    await run();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
