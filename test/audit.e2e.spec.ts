// The ledger audit end to end: a ledger built through the SDK audits clean; then stored data is tampered
// with in every place it can be (inside a transaction that is rolled back, so each case starts clean) and
// the audit names the first thing that does not match. Also the CLI verdicts and the API source.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryRunner } from 'typeorm';
import { AuditFailure, AuditReport, auditApi, auditDatabase, AuditOptions, withDatabaseSnapshot } from '@pharmatrace/audit';
import { canonicalJson, EventEnvelope, eventHash, fromBase64Url, sha256Hex, signEvent, utf8 } from '@pharmatrace/ledger-core';
import { participantAssetId } from '@pharmatrace/participants/participant-events';
import { writeKeyFile } from '@pharmatrace/sdk';
import { AuditDeployment, AuditFixture, buildAuditLedger, renewals, startAuditDeployment } from './support/audit-ledger';
import { runCli } from './support/run-cli';

const FAKE_HASH = 'ab'.repeat(32);

describe('ledger audit', () => {
  let d: AuditDeployment;
  let fx: AuditFixture;
  let blocks: Array<{ height: number; firstSeq: number; lastSeq: number }>;

  const q = <T>(sql: string, params: unknown[] = []): Promise<T[]> => d.runtime.dataSource.query(sql, params);
  const hashOf = async (seq: number) => (await q<{ hash: string }>('SELECT hash FROM ledger_events WHERE seq = $1', [seq]))[0].hash;
  const bodyOf = async (seq: number) => JSON.parse((await q<{ body: string }>('SELECT body FROM ledger_events WHERE seq = $1', [seq]))[0].body) as EventEnvelope;
  const blockOf = (seq: number) => blocks.find((b) => b.firstSeq <= seq && seq <= b.lastSeq)?.height;

  /** Applies `tamper` in a transaction, audits inside it (the audit sees the tampering), and rolls back. */
  async function auditTampered(tamper: (t: QueryRunner) => Promise<unknown>, options: AuditOptions = {}): Promise<AuditFailure> {
    const runner = d.runtime.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await tamper(runner);
      const report = await auditDatabase(runner, options);
      assert.equal(report.ok, false, 'the tampering went unnoticed');
      return (report as Extract<AuditReport, { ok: false }>).failure;
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  /** Replaces event `seq` with `change`d content, validly signed with `secretKey`, as a forger holding that key would. */
  async function resign(t: QueryRunner, seq: number, secretKey: string, change: (e: EventEnvelope) => EventEnvelope): Promise<void> {
    const signed = signEvent(change(await bodyOf(seq)), fromBase64Url(secretKey));
    await t.query('UPDATE ledger_events SET body = $2, hash = $3, sig = $4, kid = $5 WHERE seq = $1', [seq, canonicalJson(signed.event), eventHash(signed.event), signed.sig, signed.event.kid]);
  }

  const expectEvent = (f: AuditFailure, code: string, seq: number) => {
    assert.equal(f.code, code, `${f.code}: ${f.where} — ${f.why}`);
    assert.equal(f.seq, seq, f.where);
    assert.match(f.where, new RegExp(`^event #${seq}\\b`));
  };
  const expectBlock = (f: AuditFailure, code: string, height: number) => {
    assert.equal(f.code, code, `${f.code}: ${f.where} — ${f.why}`);
    assert.equal(f.height, height, f.where);
    assert.equal(f.where, `block ${height}`);
  };

  before(async () => {
    d = await startAuditDeployment({ LEDGER_MAX_BLOCK_EVENTS: '6' });
    fx = await buildAuditLedger(d);
    await d.sealer.sealPending();
    // Two more events stay unsealed: the tail is checked for everything but the tree.
    await renewals(fx.regulator, 'maker-a', 2);
    blocks = (await q<{ height: string; first_seq: string; last_seq: string }>('SELECT height, first_seq, last_seq FROM ledger_blocks ORDER BY height')).map((b) => ({
      height: Number(b.height),
      firstSeq: Number(b.first_seq),
      lastSeq: Number(b.last_seq),
    }));
  });
  after(async () => d?.close());

  it('replays a clean ledger: every event, leaf, node, root, header and the derived state', async () => {
    const report = await withDatabaseSnapshot(d.runtime.dataSource, (db) => auditDatabase(db));
    assert.ok(report.ok, report.ok ? '' : `${report.failure.code}: ${report.failure.where} — ${report.failure.why}`);
    assert.ok(blocks.length >= 3, 'several blocks');
    assert.equal(report.events, fx.lastSeq + 2);
    assert.equal(report.unsealed, 2);
    assert.equal(report.blocks, blocks.length);
    assert.equal(report.head?.height, blocks.length);
  });

  it('names an event whose payload was changed', async () => {
    const seq = fx.suspendedSeq;
    const f = await auditTampered((t) => t.query(`UPDATE ledger_events SET body = replace(body, '"inspection"', '"forged"') WHERE seq = $1`, [seq]));
    expectEvent(f, 'EVENT_HASH_MISMATCH', seq);
    // Changing the hash with it only moves the failure to the signature.
    const g = await auditTampered(async (t) => {
      await t.query(`UPDATE ledger_events SET body = replace(body, '"inspection"', '"forged"') WHERE seq = $1`, [seq]);
      const [{ body }] = (await t.query('SELECT body FROM ledger_events WHERE seq = $1', [seq])) as Array<{ body: string }>;
      await t.query('UPDATE ledger_events SET hash = $2 WHERE seq = $1', [seq, sha256Hex(utf8(body))]);
    });
    expectEvent(g, 'SIGNATURE_INVALID', seq);
  });

  it('names an event whose signature was replaced', async () => {
    const seq = fx.reinstatedSeq;
    const f = await auditTampered((t) => t.query('UPDATE ledger_events SET sig = (SELECT sig FROM ledger_events WHERE seq = $2) WHERE seq = $1', [seq, seq - 1]));
    expectEvent(f, 'SIGNATURE_INVALID', seq);
  });

  it('names an event signed by a key revoked before it, even with a valid signature', async () => {
    // An event after the revocation, re-signed with the revoked key (the forger kept a copy of it).
    const seq = fx.revokedKeySeq + 2;
    const f = await auditTampered((t) => resign(t, seq, fx.revokedMakerKey.secretKey, (e) => ({ ...e, actor: 'maker-a', kid: fx.revokedMakerKey.kid })));
    expectEvent(f, 'SIGNER_KEY_REVOKED', seq);
  });

  it('names an event whose signed prev does not follow its asset chain', async () => {
    const seq = fx.reinstatedSeq;
    const other = await hashOf(1);
    const f = await auditTampered((t) => resign(t, seq, fx.regulatorKey.secretKey, (e) => ({ ...e, assets: [{ id: e.assets[0].id, prev: other }] })));
    expectEvent(f, 'PREV_MISMATCH', seq);
    assert.match(f.why, /participant:pharm-a/);
  });

  it('names an event whose event_assets prev was changed', async () => {
    const seq = fx.reinstatedSeq;
    const f = await auditTampered((t) => t.query('UPDATE event_assets SET prev = $2 WHERE seq = $1', [seq, FAKE_HASH]));
    expectEvent(f, 'EVENT_ASSETS_MISMATCH', seq);
  });

  it('names an event whose leaf was changed', async () => {
    const seq = 9;
    const f = await auditTampered((t) => t.query(`UPDATE merkle_nodes SET hash = decode($2, 'hex') WHERE level = 0 AND idx = $1`, [seq - 1, FAKE_HASH]));
    expectEvent(f, 'LEAF_MISMATCH', seq);
  });

  it('names an inner tree node that was changed, and its block', async () => {
    // Node (level 2, index 1) covers events #5–#8: completed by #8.
    const f = await auditTampered((t) => t.query(`UPDATE merkle_nodes SET hash = decode($1, 'hex') WHERE level = 2 AND idx = 1`, [FAKE_HASH]));
    assert.equal(f.code, 'TREE_NODE_MISMATCH', f.why);
    assert.equal(f.height, blockOf(8));
    assert.match(f.where, /level 2, index 1/);
    assert.match(f.why, /events #5–#8/);
  });

  it('names a block whose root was changed', async () => {
    const f = await auditTampered((t) => t.query('UPDATE ledger_blocks SET root_hash = $1 WHERE height = 3', [FAKE_HASH]));
    expectBlock(f, 'BLOCK_ROOT_MISMATCH', 3);
  });

  it('names a block whose signature was replaced', async () => {
    const f = await auditTampered((t) => t.query('UPDATE ledger_blocks SET sig = (SELECT sig FROM ledger_blocks WHERE height = 1) WHERE height = 3'));
    expectBlock(f, 'BLOCK_SIGNATURE_INVALID', 3);
  });

  it('names a block whose header changed in the chain link or the stored hash, or that another key signed', async () => {
    expectBlock(await auditTampered((t) => t.query('UPDATE ledger_blocks SET prev_header_hash = $1 WHERE height = 2', [FAKE_HASH])), 'BLOCK_LINK_BROKEN', 2);
    expectBlock(await auditTampered((t) => t.query('UPDATE ledger_blocks SET header_hash = $1 WHERE height = 2', [FAKE_HASH])), 'BLOCK_HASH_MISMATCH', 2);
    const stranger = 'Sy3ZpT-UEnNrLxGAiO9tNH2C6dDOHKvE4pO2n6rGl3Q';
    expectBlock(await auditTampered(async () => undefined, { ledgerKey: stranger }), 'BLOCK_KEY_UNKNOWN', 1);
  });

  it('names a participant, a key and an asset head whose stored state differs from the replay', async () => {
    const p = await auditTampered((t) => t.query(`UPDATE participants SET status = 'suspended', status_reason = 'x' WHERE id = 'maker-a'`));
    assert.equal(p.code, 'PARTICIPANT_STATE_MISMATCH');
    assert.equal(p.where, 'participant maker-a');
    assert.match(p.why, /status is stored as "suspended", but the events make it "active"/);

    const k = await auditTampered((t) => t.query(`UPDATE participant_keys SET status = 'active', revoked_seq = NULL, revoked_at = NULL WHERE kid = $1`, [fx.revokedMakerKey.kid]));
    assert.equal(k.code, 'KEY_STATE_MISMATCH');
    assert.equal(k.where, `key ${fx.revokedMakerKey.kid} of maker-a`);

    const asset = participantAssetId('whole-a');
    const third = await hashOf(3);
    const h = await auditTampered((t) => t.query('UPDATE asset_heads SET head_hash = $2, head_seq = 3 WHERE asset_id = $1', [asset, third]));
    assert.equal(h.code, 'ASSET_HEAD_MISMATCH');
    assert.equal(h.where, `asset ${asset}`);
  });

  it('names a deleted event row', async () => {
    const seq = fx.suspendedSeq;
    const f = await auditTampered(async (t) => {
      await t.query('DELETE FROM event_assets WHERE seq = $1', [seq]);
      await t.query('DELETE FROM ledger_events WHERE seq = $1', [seq]);
    });
    expectEvent(f, 'EVENT_MISSING', seq);
  });

  it('names a deleted block row, in the middle or at the end of the chain', async () => {
    expectBlock(await auditTampered((t) => t.query('DELETE FROM ledger_blocks WHERE height = 2')), 'BLOCK_MISSING', 2);
    const last = blocks.length;
    expectBlock(await auditTampered((t) => t.query('DELETE FROM ledger_blocks WHERE height = $1', [last])), 'BLOCK_MISSING', last);
  });

  it('names a column that disagrees with the signed body, and a log counter ahead of the log', async () => {
    expectEvent(await auditTampered((t) => t.query(`UPDATE ledger_events SET type = 'participant.reinstated' WHERE seq = $1`, [fx.suspendedSeq])), 'EVENT_COLUMNS_MISMATCH', fx.suspendedSeq);
    const next = fx.lastSeq + 3;
    expectEvent(await auditTampered((t) => t.query('UPDATE ledger_counter SET last_seq = $1', [next])), 'EVENT_MISSING', next);
  });

  it('CLI: exits 0 with the OK verdict, 1 naming the failure, 2 on bad usage', async () => {
    const env = d.childEnv();
    const ok = await runCli(['audit'], env);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout.trim(), new RegExp(`^AUDIT OK: ${fx.lastSeq + 2} events, ${blocks.length} blocks, head ${blocks.length} root [0-9a-f]{64}$`));
    assert.match(ok.stderr, /2 events after the last block are not sealed yet/);

    const [{ sig }] = await q<{ sig: string }>('SELECT sig FROM ledger_blocks WHERE height = 2');
    await q('UPDATE ledger_blocks SET sig = (SELECT sig FROM ledger_blocks WHERE height = 1) WHERE height = 2');
    try {
      const bad = await runCli(['audit'], env);
      assert.equal(bad.code, 1, bad.stderr);
      assert.match(bad.stdout.trim(), /^AUDIT FAILED: BLOCK_SIGNATURE_INVALID: block 2 — /);
    } finally {
      await q('UPDATE ledger_blocks SET sig = $1 WHERE height = 2', [sig]);
    }
    if (d.environment.mode === 'embedded') {
      // Starting the embedded database would stop this running server's: the audit refuses instead.
      const busy = await runCli(['audit'], d.environment.env);
      assert.equal(busy.code, 1, busy.stdout);
      assert.match(busy.stderr, /EMBEDDED_DATABASE_IN_USE/);
    }
    const usage = await runCli(['audit', '--once'], env);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /usage: pharmatrace/);
  });

  it('through the API: the same verdict on a clean ledger, and a changed block root named', async () => {
    const clean = await auditApi(fx.regulator);
    assert.ok(clean.ok, clean.ok ? '' : `${clean.failure.code}: ${clean.failure.where} — ${clean.failure.why}`);
    assert.equal(clean.events, fx.lastSeq + 2);
    assert.equal(clean.blocks, blocks.length);
    assert.equal(clean.unsealed, 2);

    const [{ root_hash: root }] = await q<{ root_hash: string }>('SELECT root_hash FROM ledger_blocks WHERE height = 2');
    await q('UPDATE ledger_blocks SET root_hash = $1 WHERE height = 2', [FAKE_HASH]);
    try {
      const report = await auditApi(fx.regulator);
      assert.equal(report.ok, false);
      expectBlock((report as Extract<AuditReport, { ok: false }>).failure, 'BLOCK_ROOT_MISMATCH', 2);
    } finally {
      await q('UPDATE ledger_blocks SET root_hash = $1 WHERE height = 2', [root]);
    }
  });

  it('CLI through the API with a regulator key file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pharmatrace-audit-'));
    try {
      const keyPath = join(dir, 'regulator.json');
      writeKeyFile(keyPath, fx.regulatorKey);
      const r = await runCli(['audit', '--server', d.url, '--key', keyPath], d.childEnv());
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout.trim(), new RegExp(`^AUDIT OK: ${fx.lastSeq + 2} events, ${blocks.length} blocks, head ${blocks.length} root [0-9a-f]{64}$`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
