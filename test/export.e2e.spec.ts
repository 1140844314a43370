// The ledger export end to end: a real ledger with several participants, key additions, revocations
// and rotations, sealed into several blocks plus an unsealed tail, exported by the CLI in its own
// process, then checked by a verifier written only from docs/ledger-format.md — which must accept
// the export and refuse every alteration of it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '@pharmatrace/ledger-core';
import { BlockSealer } from '@pharmatrace/ledger';
import { participantAssetId, ParticipantEventTypes } from '@pharmatrace/participants/participant-events';
import { addKey, generateKeyFile, keySpecOf, PharmaTraceClient, revokeKey, rotateKey, signDraft, type KeyFile } from '@pharmatrace/sdk';
import { verifyExport } from './support/independent-verifier';
import { runCli } from './support/run-cli';
import { appendEvent, assertRefused as refusedWith, tamperedExport, type ExportEdits, type ExportLine as Line } from './support/tampered-export';
import { startTestServer, type TestServer } from './support/test-server';
import { createTestNetwork } from './support/test-network';
import type { TestEnvironment } from './support/test-environment';

interface Manifest {
  events: { count: number; firstSeq: number | null; lastSeq: number | null; sha256: string; bytes: number };
  blocks: { count: number; sha256: string; bytes: number };
  latestBlock: { height: number; headerHash: string; rootHash: string } | null;
  unsealedEvents: number;
  start: { anchor: { headerHash: string; header: { lastSeq: number } } } | null;
}

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const readLines = (dir: string, file: string): string[] => readFileSync(join(dir, file), 'utf8').split('\n').slice(0, -1);
const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;

describe('ledger export', () => {
  let server: TestServer;
  let serverStopped = false;
  let environment: TestEnvironment;
  let work: string;
  let ledgerKeys: string[];
  let latestAtServer: { height: number; headerHash: string };
  let eventCount: number;
  let retiredTerminal: KeyFile;
  let regulatorKey: KeyFile;
  let makerId: string;

  /** A copy of the full export with `edits` applied and the manifest brought in line (support/tampered-export.ts). */
  const tampered = (edits: ExportEdits): string => tamperedExport(join(work, 'full'), work, edits);

  before(async () => {
    // Blocks of 4 events; sealing only when the suite asks, so that an unsealed tail is left for the export.
    server = await startTestServer(undefined, { LEDGER_MAX_BLOCK_EVENTS: '4', SEAL_INTERVAL_MS: '3600000', SEAL_DEBOUNCE_MS: '60000' });
    environment = server.environment;
    work = mkdtempSync(join(tmpdir(), 'pharmatrace-export-'));
    const net = await createTestNetwork(server);
    const maker = await net.join('manufacturer', 'maker-export');
    const pharmacy = await net.join('pharmacy', 'pharmacy-export');
    const wholesaler = await net.join('wholesaler', 'wholesaler-export');
    makerId = maker.participantId;
    regulatorKey = net.regulator.key;

    // A terminal key that signs an event of its own, then its own revocation.
    retiredTerminal = generateKeyFile('line 7 terminal', 'terminal', maker.participantId);
    await addKey(maker, maker.participantId, keySpecOf(retiredTerminal));
    const terminal = new PharmaTraceClient(server.url, retiredTerminal);
    await addKey(terminal, maker.participantId, keySpecOf(generateKeyFile('spare', 'terminal')));
    await revokeKey(terminal, maker.participantId, retiredTerminal.kid, 'line 7 decommissioned');
    // A rotation signed by the key it retires; a regulator acting on another participant's keys.
    const rotated = generateKeyFile('pharmacy operator 2', 'operator', pharmacy.participantId);
    await rotateKey(pharmacy, pharmacy.participantId, pharmacy.key.kid, keySpecOf(rotated));
    const logger = generateKeyFile('cold room logger', 'logger', wholesaler.participantId);
    await addKey(net.regulator, wholesaler.participantId, keySpecOf(logger));
    await revokeKey(net.regulator, wholesaler.participantId, logger.kid, 'logger lost');
    await server.worker.get(BlockSealer).sealPending();

    // The unsealed tail, signed by the rotated-in key.
    await addKey(new PharmaTraceClient(server.url, rotated), pharmacy.participantId, keySpecOf(generateKeyFile('counter 2', 'terminal')));
    eventCount = await server.eventCount();
    const published = (await (await fetch(`${server.url}/.well-known/pharmatrace-ledger`)).json()) as {
      keys: Array<{ publicKey: string }>;
      latestBlock: { header: { height: number }; headerHash: string };
    };
    ledgerKeys = published.keys.map((k) => k.publicKey);
    latestAtServer = { height: published.latestBlock.header.height, headerHash: published.latestBlock.headerHash };
    // The CLI opens the database itself; the embedded one has a single data folder, so the server stops first.
    await server.stop();
    serverStopped = true;
  });
  after(async () => {
    if (server && !serverStopped) await server.stop();
    await environment?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('writes events, blocks, ledger keys and a manifest, and prints a one-line summary', async () => {
    const r = await runCli(['export', '--out', join(work, 'full')], environment.env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^Exported ${eventCount} events \\(seq 1\\.\\.${eventCount}, [1-9]\\d* not yet sealed\\) and \\d+ blocks`));
    assert.equal(r.stdout.trim().split('\n').length, 1);
    assert.deepEqual(readdirSync(join(work, 'full')).sort(), ['blocks.jsonl', 'events.jsonl', 'ledger-keys.json', 'manifest.json']);
    const manifest = readManifest(join(work, 'full'));
    assert.equal(manifest.events.count, eventCount);
    assert.ok(manifest.blocks.count >= 3, `at least 3 blocks, got ${manifest.blocks.count}`);
    assert.ok(manifest.unsealedEvents >= 1);
    assert.deepEqual({ height: manifest.latestBlock?.height, headerHash: manifest.latestBlock?.headerHash }, latestAtServer);
  });

  it('lets an independent verifier recompute every hash, signature, root and header link', async () => {
    const verdict = await verifyExport(join(work, 'full'), { trustedLedgerKeys: ledgerKeys });
    assert.ok(verdict.ok, verdict.ok ? '' : `${verdict.code}: ${verdict.message}`);
    const manifest = readManifest(join(work, 'full'));
    assert.equal(verdict.report.events, eventCount);
    assert.equal(verdict.report.eventSignatures, eventCount);
    assert.equal(verdict.report.blocks, manifest.blocks.count);
    assert.equal(verdict.report.roots, manifest.blocks.count);
    assert.equal(verdict.report.unsealed, manifest.unsealedEvents);
    assert.deepEqual(verdict.report.latest, manifest.latestBlock && { height: manifest.latestBlock.height, headerHash: manifest.latestBlock.headerHash, rootHash: manifest.latestBlock.rootHash });
    // The accepted history includes a key signing its own revocation: the sequence rule the doc states.
    const bodies = readLines(join(work, 'full'), 'events.jsonl').map((l) => JSON.parse((JSON.parse(l) as { body: string }).body) as { type: string; kid: string; data: { kid?: string } });
    assert.ok(bodies.some((e) => e.type === ParticipantEventTypes.keyRevoked && e.kid === retiredTerminal.kid && e.data.kid === retiredTerminal.kid));
  });

  it('exports from a height, continuing exactly where the full export stood, down to the unsealed tail alone', async () => {
    const r = await runCli(['export', '--out', join(work, 'from-2'), '--from-height', '2'], environment.env);
    assert.equal(r.code, 0, r.stderr);
    const verdict = await verifyExport(join(work, 'from-2'), { trustedLedgerKeys: ledgerKeys });
    assert.ok(verdict.ok, verdict.ok ? '' : `${verdict.code}: ${verdict.message}`);
    const full = readManifest(join(work, 'full'));
    const partial = readManifest(join(work, 'from-2'));
    const fullBlocks = readLines(join(work, 'full'), 'blocks.jsonl');
    assert.equal(partial.start?.anchor.headerHash, (JSON.parse(fullBlocks[0]) as { headerHash: string }).headerHash);
    assert.deepEqual(readLines(join(work, 'from-2'), 'blocks.jsonl'), fullBlocks.slice(1));
    const firstSeq = (partial.start?.anchor.header.lastSeq ?? 0) + 1;
    assert.deepEqual(readLines(join(work, 'from-2'), 'events.jsonl'), readLines(join(work, 'full'), 'events.jsonl').slice(firstSeq - 1));
    assert.deepEqual(partial.latestBlock, full.latestBlock);
    assert.deepEqual(verdict.report.latest, full.latestBlock && { height: full.latestBlock.height, headerHash: full.latestBlock.headerHash, rootHash: full.latestBlock.rootHash });

    // One past the newest height: no block yet, only the unsealed tail, anchored on the newest block.
    const next = String((full.latestBlock?.height ?? 0) + 1);
    assert.equal((await runCli(['export', '--out', join(work, 'tail'), '--from-height', next], environment.env)).code, 0);
    const tail = await verifyExport(join(work, 'tail'), { trustedLedgerKeys: ledgerKeys });
    assert.ok(tail.ok, tail.ok ? '' : `${tail.code}: ${tail.message}`);
    assert.deepEqual([tail.report.blocks, tail.report.events, tail.report.unsealed], [0, full.unsealedEvents, full.unsealedEvents]);
    assert.deepEqual(readManifest(join(work, 'tail')).latestBlock, full.latestBlock);
  });

  it('refuses an altered event: a body byte, a re-hashed body, a signature, a missing line', async () => {
    // Control: rewriting the files unchanged (and the manifest with them) is still a valid export.
    assert.ok((await verifyExport(tampered({ events: () => undefined }))).ok);
    const editBody = (l: Line) => (l.body = (l.body as string).replace('"maker-export Ltd"', '"maker-export Ltc"'));
    const target = (lines: Line[]) => lines.find((l) => (l.body as string).includes('"maker-export Ltd"')) as Line;
    refusedWith(await verifyExport(tampered({ events: (lines) => editBody(target(lines)) })), 'EVENT_HASH_MISMATCH');
    const rehashed = tampered({
      events: (lines) => {
        const l = target(lines);
        editBody(l);
        l.hash = sha256Hex(l.body as string);
      },
    });
    refusedWith(await verifyExport(rehashed), 'BAD_SIGNATURE');
    const forgedSig = tampered({
      events: (lines) => {
        const sig = lines[5].sig as string;
        lines[5].sig = sig.slice(0, 40) + (sig[40] === 'A' ? 'B' : 'A') + sig.slice(41);
      },
    });
    refusedWith(await verifyExport(forgedSig), 'BAD_SIGNATURE');
    refusedWith(await verifyExport(tampered({ events: (lines) => lines.splice(3, 1) })), 'SEQ_GAP');
  });

  it('refuses an event signed by a key after its revocation, though its signature is valid', async () => {
    const dir = tampered({
      events: (lines) => {
        const head = lines.filter((l) => (l.body as string).includes(`"id":"${participantAssetId(makerId)}"`)).pop()?.hash as string;
        const signed = signDraft(retiredTerminal, {
          type: ParticipantEventTypes.keyAdded,
          assets: [{ id: participantAssetId(makerId), prev: head }],
          data: { v: 1, participant: makerId, key: keySpecOf(generateKeyFile('smuggled', 'terminal')) },
        });
        appendEvent(lines, signed);
      },
    });
    refusedWith(await verifyExport(dir), 'KEY_REVOKED');
  });

  it('refuses an altered block: a root, a re-hashed root, a broken link, an untrusted ledger key', async () => {
    const setRoot = (l: Line) => (l.header = { ...l.header, rootHash: '0'.repeat(64) });
    refusedWith(await verifyExport(tampered({ blocks: (lines) => setRoot(lines[1]) })), 'HEADER_HASH_MISMATCH');
    const rehashed = tampered({
      blocks: (lines) => {
        setRoot(lines[1]);
        lines[1].headerHash = sha256Hex(canonicalJson(lines[1].header));
      },
    });
    refusedWith(await verifyExport(rehashed), 'BAD_BLOCK_SIGNATURE');
    refusedWith(await verifyExport(tampered({ blocks: (lines) => lines.splice(1, 1) })), 'BAD_LINK');
    const stranger = generateKeyFile('not the ledger').publicKey;
    refusedWith(await verifyExport(join(work, 'full'), { trustedLedgerKeys: [stranger] }), 'UNTRUSTED_LEDGER_KEY');
  });

  it('verifies the worked example printed in docs/ledger-format.md', async () => {
    const doc = readFileSync(join(__dirname, '..', 'docs', 'ledger-format.md'), 'utf8');
    const dir = mkdtempSync(join(work, 'doc-example-'));
    const files = [...doc.matchAll(/<!-- example-file: (\S+) -->\n```[a-z]*\n([\s\S]*?)```/g)];
    assert.deepEqual(files.map((m) => m[1]).sort(), ['blocks.jsonl', 'events.jsonl', 'ledger-keys.json', 'manifest.json']);
    for (const [, name, text] of files) writeFileSync(join(dir, name), text);
    const verdict = await verifyExport(dir);
    assert.ok(verdict.ok, verdict.ok ? '' : `${verdict.code}: ${verdict.message}`);
    assert.deepEqual([verdict.report.events, verdict.report.blocks, verdict.report.unsealed], [4, 2, 1]);
  });

  it('refuses a folder that is not empty and a height beyond the ledger', async () => {
    const again = await runCli(['export', '--out', join(work, 'full')], environment.env);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /is not empty/);
    const height = readManifest(join(work, 'full')).latestBlock?.height ?? 0;
    const beyond = await runCli(['export', '--out', join(work, 'beyond'), '--from-height', String(height + 2)], environment.env);
    assert.equal(beyond.code, 1);
    assert.match(beyond.stderr, new RegExp(`NOT_FOUND: No block at height ${height + 1}: .* at most ${height + 1}`));
    assert.equal(existsSync(join(work, 'beyond')), false, 'a failed export leaves no folder behind');
  });

  it(
    'exports while a running server keeps appending and sealing, and the export verifies',
    { skip: process.env.DATABASE_URL ? false : 'the embedded database has one data folder, which a running server holds' },
    async () => {
      const running = await startTestServer(environment, { LEDGER_MAX_BLOCK_EVENTS: '3', SEAL_DEBOUNCE_MS: '10' });
      try {
        const regulator = new PharmaTraceClient(running.url, regulatorKey);
        let appending = true;
        const appender = (async () => {
          while (appending) await addKey(regulator, regulator.participantId, keySpecOf(generateKeyFile('busy terminal', 'terminal')));
        })();
        const r = await runCli(['export', '--out', join(work, 'live')], environment.env);
        appending = false;
        await appender;
        assert.equal(r.code, 0, r.stderr);
        const verdict = await verifyExport(join(work, 'live'), { trustedLedgerKeys: ledgerKeys });
        assert.ok(verdict.ok, verdict.ok ? '' : `${verdict.code}: ${verdict.message}`);
        assert.ok(verdict.report.events > eventCount, 'events appended during the run are in the snapshot');
      } finally {
        await running.stop();
      }
    },
  );
});
