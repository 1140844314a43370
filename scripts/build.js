#!/usr/bin/env node
// Compiles apps/*/src and libs/*/src into dist/ once, so the CLI and the servers start from JavaScript
// instead of compiling TypeScript on every run. The SWC options are the ones @swc-node/register derives
// from tsconfig.json (decorators, metadata, the @pharmatrace/* paths rewritten to relative requires),
// so dist/ behaves exactly like the sources the test suites run.
//
// Incremental: a file is compiled again only when its source is newer than its output, and outputs
// whose source is gone are removed. Non-TypeScript files beside the sources (JSON schemas) are copied.
// Spec files are not built. Usage: node scripts/build.js [--clean] [--quiet]
const { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { dirname, join, relative } = require('node:path');

const ROOT = join(__dirname, '..');
const DIST = join(ROOT, 'dist');
const TSCONFIG = join(ROOT, 'tsconfig.json');
const quiet = process.argv.includes('--quiet');

if (process.argv.includes('--clean')) rmSync(DIST, { recursive: true, force: true });

/** Every source file to build: [path relative to ROOT, output path relative to DIST]. */
function sources() {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.spec.ts')) continue;
      else if (entry.name.endsWith('.d.ts')) continue;
      else if (entry.name.endsWith('.ts')) out.push([relative(ROOT, path), relative(ROOT, path).replace(/\.ts$/, '.js')]);
      else out.push([relative(ROOT, path), relative(ROOT, path)]);
    }
  };
  for (const top of ['apps', 'libs']) {
    for (const project of readdirSync(join(ROOT, top), { withFileTypes: true })) {
      const src = join(ROOT, top, project.name, 'src');
      if (project.isDirectory() && existsSync(src)) walk(src);
    }
  }
  return out;
}

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

function build() {
  const started = process.hrtime.bigint();
  const files = sources();
  const stale = files.filter(([src, out]) => mtime(join(DIST, out)) < mtime(join(ROOT, src)));
  let swc = null;
  for (const [src, out] of stale) {
    const target = join(DIST, out);
    mkdirSync(dirname(target), { recursive: true });
    if (!src.endsWith('.ts')) {
      copyFileSync(join(ROOT, src), target);
      continue;
    }
    if (swc === null) {
      // Loaded only when something is stale: an up-to-date check costs a directory walk, nothing more.
      const { transformSync } = require('@swc-node/core');
      const { readDefaultTsConfig, tsCompilerOptionsToSwcConfig } = require('@swc-node/register/read-default-tsconfig');
      const options = readDefaultTsConfig(TSCONFIG);
      swc = { transformSync, options: (file) => ({ ...tsCompilerOptionsToSwcConfig(options, file), sourcemap: true }) };
    }
    const file = join(ROOT, src);
    const { code, map } = swc.transformSync(require('node:fs').readFileSync(file, 'utf8'), file, swc.options(file));
    const mapName = `${target.split('/').pop()}.map`;
    writeFileSync(`${target}.map`, map ?? '{}');
    writeFileSync(target, `${code}\n//# sourceMappingURL=${mapName}\n`);
  }
  const removed = prune(new Set(files.map(([, out]) => out)));
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (!quiet && (stale.length > 0 || removed > 0)) {
    console.error(`build: ${stale.length} of ${files.length} files compiled into dist/, ${removed} stale removed (${ms.toFixed(0)} ms)`);
  }
}

/** Removes outputs (and their maps) whose source no longer exists; returns how many. */
function prune(expected) {
  let removed = 0;
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(path);
        continue;
      }
      const rel = relative(DIST, path);
      const output = rel.endsWith('.js.map') ? rel.slice(0, -'.map'.length) : rel;
      if (!expected.has(output)) {
        rmSync(path);
        removed += 1;
      }
    }
  };
  walk(join(DIST, 'apps'));
  walk(join(DIST, 'libs'));
  return removed;
}

build();
