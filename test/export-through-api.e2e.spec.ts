// `cli export --server URL --key REGULATOR_KEY` while the server runs: the same files as an export
// from the database, verified by the independent verifier; regulators only.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlockSealer } from '@pharmatrace/ledger';
import { addKey, generateKeyFile, keySpecOf, rotateKey, writeKeyFile } from '@pharmatrace/sdk';
import { verifyExport } from './support/independent-verifier';
import { runCli } from './support/run-cli';
import { startTestServer, type TestServer } from './support/test-server';
import { createTestNetwork } from './support/test-network';
import type { TestEnvironment } from './support/test-environment';

describe('export through the API', () => {
  let server: TestServer | null = null;
  let environment: TestEnvironment;
  let work: string;
  let regulatorKeyPath: string;
  let makerKeyPath: string;
  let trusted: string[];
  let eventCount: number;

  before(async () => {
    // Blocks of 3 events, sealed only when the suite asks, so that an unsealed tail is left.
    server = await startTestServer(undefined, { LEDGER_MAX_BLOCK_EVENTS: '3', SEAL_INTERVAL_MS: '3600000', SEAL_DEBOUNCE_MS: '60000' });
    environment = server.environment;
    work = mkdtempSync(join(tmpdir(), 'pharmatrace-api-export-'));
    const net = await createTestNetwork(server);
    const maker = await net.join('manufacturer', 'maker-api-export');
    const pharmacy = await net.join('pharmacy', 'pharmacy-api-export');
    await addKey(maker, maker.participantId, keySpecOf(generateKeyFile('line 1', 'terminal')));
    await rotateKey(pharmacy, pharmacy.participantId, pharmacy.key.kid, keySpecOf(generateKeyFile('pharmacy operator 2', 'operator', pharmacy.participantId)));
    await server.worker.get(BlockSealer).sealPending();
    await addKey(maker, maker.participantId, keySpecOf(generateKeyFile('line 2 — unsealed', 'terminal')));
    eventCount = await server.eventCount();
    regulatorKeyPath = join(work, 'regulator.key.json');
    makerKeyPath = join(work, 'maker.key.json');
    writeKeyFile(regulatorKeyPath, net.regulator.key);
    writeKeyFile(makerKeyPath, maker.key);
    trusted = ((await (await fetch(`${server.url}/.well-known/pharmatrace-ledger`)).json()) as { keys: Array<{ publicKey: string }> }).keys.map((k) => k.publicKey);
  });
  after(async () => {
    if (server) await server.stop();
    await environment?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('writes a verifiable export while the server runs, signed in with a regulator key', async () => {
    assert.ok(server);
    const r = await runCli(['export', '--server', server.url, '--key', regulatorKeyPath, '--out', join(work, 'api')], environment.env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^Exported ${eventCount} events \\(seq 1\\.\\.${eventCount}, [1-9]\\d* not yet sealed\\) and [1-9]\\d* blocks`));
    const verdict = await verifyExport(join(work, 'api'), { trustedLedgerKeys: trusted });
    assert.ok(verdict.ok, verdict.ok ? '' : `${verdict.code}: ${verdict.message}`);
    assert.equal(verdict.report.events, eventCount);
    assert.ok(verdict.report.unsealed >= 1);
  });

  it('refuses a participant that is not a regulator, and leaves no files behind', async () => {
    assert.ok(server);
    const out = join(work, 'by-maker');
    const r = await runCli(['export', '--server', server.url, '--key', makerKeyPath, '--out', out], environment.env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /FORBIDDEN_ROLE/);
    assert.equal(existsSync(out), false);
  });

  it('needs both --server and --key, and no --from-height', async () => {
    assert.ok(server);
    const noKey = await runCli(['export', '--server', server.url, '--out', join(work, 'x')], environment.env);
    assert.equal(noKey.code, 2);
    assert.match(noKey.stderr, /--key/);
    const fromHeight = await runCli(['export', '--server', server.url, '--key', regulatorKeyPath, '--from-height', '2', '--out', join(work, 'y')], environment.env);
    assert.equal(fromHeight.code, 2);
    assert.match(fromHeight.stderr, /--from-height/);
  });

  it('gives the same events and blocks as the export from the database', async () => {
    assert.ok(server);
    await server.stop();
    server = null;
    const r = await runCli(['export', '--out', join(work, 'db')], environment.env);
    assert.equal(r.code, 0, r.stderr);
    for (const file of ['events.jsonl', 'blocks.jsonl', 'ledger-keys.json']) {
      assert.equal(readFileSync(join(work, 'api', file), 'utf8'), readFileSync(join(work, 'db', file), 'utf8'), `${file} is the same both ways`);
    }
  });
});
