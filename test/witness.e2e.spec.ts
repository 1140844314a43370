// The witness end to end (`cli audit --follow`): it pins the ledger key, remembers the newest verified
// head, accepts a longer ledger only with a chained, consistent extension, and raises the alarm when the
// server rewrites its history — even though the server re-signs the rewritten blocks with its real key.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditDatabase, readWitnessState, withDatabaseSnapshot } from '@pharmatrace/audit';
import { canonicalJson, CompactMerkleTree, EventEnvelope, fromHex, leafHash, sha256Hex, utf8 } from '@pharmatrace/ledger-core';
import { AuditDeployment, AuditFixture, buildAuditLedger, renewals, startAuditDeployment } from './support/audit-ledger';
import { CLI_ENTRY, runCli } from './support/run-cli';
import { waitFor } from './support/test-server';

const ROOT = join(__dirname, '..');

describe('witness (audit --follow)', () => {
  let d: AuditDeployment;
  let fx: AuditFixture;
  let dir: string;
  let statePath: string;

  const witness = (...extra: string[]) => runCli(['audit', '--follow', '--once', '--server', d.url, '--state', statePath, ...extra], d.childEnv());
  const rememberedHeight = () => readWitnessState(statePath)?.head?.header.height;
  const latestHeight = async () => Number((await d.runtime.dataSource.query('SELECT max(height) AS h FROM ledger_blocks'))[0].h);

  /** Changes the registered legal name in event `seq` and stores it with its new hash (the old signature stays). */
  async function rewriteEvent(seq: number, legalName: string): Promise<void> {
    const [{ body }] = (await d.runtime.dataSource.query('SELECT body FROM ledger_events WHERE seq = $1', [seq])) as Array<{ body: string }>;
    const event = JSON.parse(body) as EventEnvelope<{ v: number; participant: { legalName: string } }>;
    event.data.participant.legalName = legalName;
    const rewritten = canonicalJson(event);
    await d.runtime.dataSource.query('UPDATE ledger_events SET body = $2, hash = $3 WHERE seq = $1', [seq, rewritten, sha256Hex(utf8(rewritten))]);
  }

  before(async () => {
    d = await startAuditDeployment({ LEDGER_MAX_BLOCK_EVENTS: '5' });
    fx = await buildAuditLedger(d);
    await d.sealer.sealPending();
    dir = mkdtempSync(join(tmpdir(), 'pharmatrace-witness-'));
    statePath = join(dir, 'witness.json');
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await d?.close();
  });

  it('remembers the first head it verifies, trusting the ledger key on first use', async () => {
    const r = await witness();
    assert.equal(r.code, 0, r.stderr);
    const height = await latestHeight();
    assert.match(r.stdout, new RegExp(`^WITNESS OK: block ${height} \\(tree size ${fx.lastSeq}, root [0-9a-f]{64}\\) verified and remembered .*trusted on first use`));
    assert.equal(rememberedHeight(), height);
  });

  it('accepts growth across new blocks, proven consistent, and says when nothing changed', async () => {
    const from = rememberedHeight();
    await renewals(fx.regulator, 'maker-a', 12);
    await d.sealer.sealPending();
    const to = await latestHeight();
    assert.ok(from !== undefined && to >= from + 2, 'several new blocks');
    const r = await witness();
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^WITNESS OK: block ${to} .* extends block ${from} .*consistency proof verified`));
    assert.equal(rememberedHeight(), to);

    const again = await witness();
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, new RegExp(`^WITNESS OK: no new block; the head is still block ${to}`));
  });

  it('refuses a head that the pinned ledger key did not sign', async () => {
    const stranger = 'Sy3ZpT-UEnNrLxGAiO9tNH2C6dDOHKvE4pO2n6rGl3Q';
    const r = await runCli(['audit', '--follow', '--once', '--server', d.url, '--state', join(dir, 'other.json'), '--ledger-key', stranger], d.childEnv());
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^WITNESS ALARM: LEDGER_KEY_CHANGED: /);
  });

  it('following, prints one line per new head until stopped', async () => {
    const child = spawn(process.execPath, [CLI_ENTRY, 'audit', '--follow', '--server', d.url, '--state', statePath, '--interval', '200'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...d.childEnv() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await renewals(fx.regulator, 'maker-a', 5);
      await d.sealer.sealPending();
      const to = await latestHeight();
      await waitFor('the witness to verify the new head', async () => out.includes(`WITNESS OK: block ${to} `), 30_000);
      assert.doesNotMatch(out, /WITNESS ALARM|retrying/, out);
      assert.match(out.trim().split('\n').pop() ?? '', new RegExp(`^WITNESS OK: block ${to} .* extends block`), out);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0, out);
  });

  it('raises the alarm when a new block chains to the remembered one but its tree does not extend it', async () => {
    const before = readFileSync(statePath, 'utf8');
    // A subtler rewrite: old block rows kept, event #2 and every tree node recomputed over the changed
    // log, so the next block links to the remembered header by hash; only the consistency proof can tell.
    await rewriteEvent(2, 'Quietly Changed Ltd');
    const sealed = Number((await d.runtime.dataSource.query('SELECT max(last_seq) AS s FROM ledger_blocks'))[0].s);
    const rows = (await d.runtime.dataSource.query('SELECT hash FROM ledger_events WHERE seq <= $1 ORDER BY seq', [sealed])) as Array<{ hash: string }>;
    const tree = CompactMerkleTree.empty();
    const nodes = rows.flatMap((r) => tree.append(leafHash(fromHex(r.hash))));
    await d.runtime.dataSource.transaction(async (m) => {
      await m.query('DELETE FROM merkle_nodes');
      await m.query('INSERT INTO merkle_nodes (level, idx, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])', [
        nodes.map((n) => n.level),
        nodes.map((n) => n.index),
        nodes.map((n) => Buffer.from(n.hash)),
      ]);
    });
    await renewals(fx.regulator, 'maker-a', 3);
    await d.sealer.sealPending();

    const r = await witness();
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^WITNESS ALARM: NOT_AN_EXTENSION: .*history was rewritten/);
    assert.equal(readFileSync(statePath, 'utf8'), before, 'the remembered head is kept as evidence');
  });

  it('raises the alarm when the server rewrites its history and re-seals it', async () => {
    const before = readFileSync(statePath, 'utf8');
    // The operator changes an old event, drops the blocks and tree, and lets the sealer sign a new history.
    await rewriteEvent(3, 'Someone Else Ltd');
    await d.runtime.dataSource.query('DELETE FROM ledger_blocks');
    await d.runtime.dataSource.query('DELETE FROM merkle_nodes');
    await renewals(fx.regulator, 'maker-a', 5);
    await d.sealer.sealPending();

    const r = await witness();
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^WITNESS ALARM: (CHAIN_BROKEN|HEAD_FORKED|NOT_AN_EXTENSION): .*history was rewritten/);
    assert.equal(readFileSync(statePath, 'utf8'), before, 'the remembered head is kept as evidence');

    // The full audit names the rewritten event itself.
    const report = await withDatabaseSnapshot(d.runtime.dataSource, (db) => auditDatabase(db));
    assert.equal(report.ok, false);
    if (!report.ok) {
      assert.equal(report.failure.code, 'SIGNATURE_INVALID');
      assert.equal(report.failure.seq, 2, 'the first rewritten event');
    }
  });
});
