import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { checkLedgerCorePurity } from '../../../scripts/check-ledger-core-purity';

const SCRIPT = resolve(__dirname, '../../../scripts/check-ledger-core-purity.ts');

function withTree(files: Record<string, string>, test: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-core-purity-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    test(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const BAD_TREE: Record<string, string> = {
  'index.ts': ["export * from './clean';", "export * from './dirty';", "export { NodeCryptoVerifier } from './node-crypto-verifier';", ''].join('\n'),
  'clean.ts': ["// import { Injectable } from '@nestjs/common'; (a comment, not an import)", "import { sha256 } from '@noble/hashes/sha2.js';", "export const note = 'process this Buffer';", 'export const h = sha256;', ''].join('\n'),
  'dirty.ts': [
    "import { Injectable } from '@nestjs/common';",
    "import { readFileSync } from 'fs';",
    'import {',
    '  createHash,',
    "} from 'node:crypto';",
    "const pg = require('pg');",
    "export const b = Buffer.from('x');",
    "export const later = () => import('ioredis');",
    "export * from '../../elsewhere';",
    "export { DataSource } from 'typeorm';",
    "import type { Queue } from 'bullmq';",
    "import { something } from '@pharmatrace/ledger';",
    '',
  ].join('\n'),
  'node-crypto-verifier.ts': "import { verify } from 'node:crypto';\nexport class NodeCryptoVerifier {}\n",
  'dirty.spec.ts': "import { readFileSync } from 'node:fs';\nimport 'typeorm';\n",
};

describe('ledger-core purity check', () => {
  it('passes on the real libs/ledger-core/src', () => {
    const report = checkLedgerCorePurity();
    assert.ok(report.filesChecked >= 20, `only ${report.filesChecked} files found`);
    assert.deepEqual(report.violations, []);
  });

  it('names file and line of every forbidden import, Node global and leak into index.ts', () => {
    withTree(BAD_TREE, (dir) => {
      const found = checkLedgerCorePurity(dir).violations.map((v) => `${basename(v.file)}:${v.line}`);
      assert.deepEqual(found, [
        'dirty.spec.ts:2', // typeorm, even in a spec
        'dirty.ts:1', // @nestjs/common
        'dirty.ts:2', // fs
        'dirty.ts:5', // node:crypto, reported on the line naming it
        'dirty.ts:6', // require('pg')
        'dirty.ts:7', // Buffer
        'dirty.ts:8', // import('ioredis')
        'dirty.ts:9', // outside the library
        'dirty.ts:10', // typeorm
        'dirty.ts:11', // bullmq, even type-only
        'dirty.ts:12', // another lib of the monorepo
        'index.ts:3', // node-crypto-verifier re-exported
      ]);
    });
  });

  it('at run time, loading index.ts pulls in no Node builtin, through our code or our dependencies', () => {
    // Complements the static check: @noble/* and canonicalize are third-party code it cannot read.
    const probe = `
      const Module = require('node:module');
      const seen = [];
      const load = Module._load;
      Module._load = function (request, parent, isMain) {
        const from = (parent && parent.filename) || '';
        const ours = from.includes('/libs/ledger-core/src/') || /node_modules\\/(@noble|canonicalize)\\//.test(from);
        if (ours && Module.isBuiltin(request)) seen.push(request + ' <- ' + from);
        return load.apply(this, arguments);
      };
      const core = require(${JSON.stringify(resolve(__dirname, 'index.ts'))});
      core.verifySignedEvent(null, new Uint8Array(32));
      core.generateKeyPair();
      console.log(JSON.stringify(seen));
    `;
    const run = spawnSync(process.execPath, ['-r', '@swc-node/register', '-e', probe], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout.trim().split('\n').pop() ?? 'null'), []);
  });

  it('fails the command line with exit code 1 and file:line output', () => {
    withTree(BAD_TREE, (dir) => {
      const run = spawnSync(process.execPath, ['-r', '@swc-node/register', SCRIPT, dir], { encoding: 'utf8' });
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, /dirty\.ts:1: imports "@nestjs\/common"/);
      assert.match(run.stderr, /index\.ts:3: makes node-crypto-verifier\.ts reachable from index\.ts/);
    });
  });
});
