// CLI and server start-up (issue 11: "a CLI call answers in well under a second, a warm start in a few
// seconds"), each figure beside a baseline measured in the same run:
// - a CLI call of the compiled CLI (`npx pharmatrace`, dist/) vs a bare `node -e 0` (the floor: Node's own
//   start) and vs the same call compiled on the fly by @swc-node/register (how every call ran before);
// - a warm start of `npm start`'s process (embedded PostgreSQL already initialised, demo already seeded),
//   until it prints that it is running, compiled vs on the fly.
// Medians of BENCH_CLI_RUNS runs (default 7). `npm run bench -- cli` runs this section alone.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envInt, reportTime } from './measure';

const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');
const ALL_IN_ONE = join(ROOT, 'dist', 'apps', 'all-in-one', 'src', 'main.js');
const ON_THE_FLY = ['-r', require.resolve('@swc-node/register')];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median wall-clock seconds of `node <args>` run to its end; fails loudly if a run fails. */
function callSeconds(args: string[], runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json') } });
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${r.stderr}`);
    times.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  return median(times);
}

/** A TCP port free on 127.0.0.1 right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Seconds from spawn until the all-in-one process says it is running; then stops it with SIGTERM (SIGKILL after 30 s). */
function startSeconds(args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json'), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let ready = 0;
    const onData = (d: Buffer): void => {
      output += d.toString();
      if (ready === 0 && output.includes('PharmaTrace is running')) {
        ready = Number(process.hrtime.bigint() - started) / 1e9;
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 30_000).unref();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', () => (ready > 0 ? resolve(ready) : reject(new Error(`the server did not start:\n${output}`))));
  });
}

export async function cliBench(): Promise<void> {
  const runs = envInt('BENCH_CLI_RUNS', 7);
  const work = mkdtempSync(join(tmpdir(), 'pt-cli-bench-'));
  try {
    const bare = callSeconds(['-e', '0'], runs);
    const help = callSeconds([CLI, '--help'], runs);
    reportTime('CLI call: pharmatrace --help', help, 'bare node -e 0', bare);
    reportTime('CLI call: pharmatrace --help', help, 'compiled on the fly', callSeconds([...ON_THE_FLY, 'apps/cli/src/main.ts', '--help'], runs));
    const keys = callSeconds([CLI, 'keys', 'generate', '--out', join(work, `k-${Date.now()}.json`), '--label', 'bench'], 1);
    reportTime('CLI call: pharmatrace keys generate', keys, 'bare node -e 0', bare);

    const env = { PHARMATRACE_DATA_DIR: join(work, 'data'), PORT: String(await freePort()), EMBEDDED_PG_PORT: String(55000 + (process.pid % 1000)) };
    await startSeconds([ALL_IN_ONE], env); // the first start initialises the database and seeds the demo
    const warm: number[] = [];
    const fly: number[] = [];
    for (let i = 0; i < Math.min(runs, 3); i++) {
      warm.push(await startSeconds([ALL_IN_ONE], env));
      fly.push(await startSeconds([...ON_THE_FLY, 'apps/all-in-one/src/main.ts'], env));
    }
    reportTime('warm start of npm start (until running)', median(warm), 'compiled on the fly', median(fly));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
