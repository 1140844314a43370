#!/usr/bin/env node
// Runs spec files with Node's own test runner, TypeScript compiled on the fly by SWC.
// Usage: node scripts/run-tests.js [unit|integration|all] [extra file filters...]
const { spawnSync } = require('node:child_process');
const { readdirSync, statSync } = require('node:fs');
const { join, relative } = require('node:path');

const root = join(__dirname, '..');
const suite = process.argv[2] ?? 'all';
const filters = process.argv.slice(3);

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.spec.ts')) out.push(relative(root, path));
  }
  return out;
}

const unit = [...walk(join(root, 'libs'), []), ...walk(join(root, 'apps'), [])];
const integration = walk(join(root, 'test'), []);
let files = suite === 'unit' ? unit : suite === 'integration' ? integration : [...unit, ...integration];
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error(`no spec files for suite "${suite}"`);
  process.exit(1);
}
// The suites run the sources, but the processes they start (the CLI, a separate api or worker) run the
// compiled dist/ the way users do: build it first (incremental, so usually a directory walk).
const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.js')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
// Suites are isolated (each has its own database and queue namespace), so two run at once on the two
// cores this project's machines have; TEST_CONCURRENCY overrides.
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
const result = spawnSync(
  process.execPath,
  ['--require', '@swc-node/register', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  { cwd: root, stdio: 'inherit', env: { ...process.env, SWC_NODE_PROJECT: join(root, 'tsconfig.json') } },
);
process.exit(result.status ?? 1);
