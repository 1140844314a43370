// The export of a network with every kind of event — commissioning (packs created without being listed),
// packing, shipments, cold-chain readings and a quarantine signed by the ledger's own key, dispensing,
// a recall, key rotation, and blocks sealed under two successive ledger keys — verified by the
// independent verifier, which knows only docs/ledger-format.md. If the document misses a rule the
// real ledger follows, this suite fails. Also: `audit` and `export` with no database configured say so.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PARTICIPANTS, demoGenesis, keyFor, seedDemoCustody, seedDemoDispensing, seedDemoParticipants, seedDemoRecall } from '@pharmatrace/demo-network';
import { EventPipeline } from '@pharmatrace/ledger';
import { addKey, generateKeyFile, keySpecOf, PharmaTraceClient, rotateKey } from '@pharmatrace/sdk';
import { fromBase64Url, signBlockHeader, type BlockHeader, type EventData } from '@pharmatrace/ledger-core';
import { verifyExport, type VerifyOptions } from './support/independent-verifier';
import { CLI_ENTRY, runNode } from './support/run-cli';
import {
  appendEvent, assertRefused, envelopeOf, forgeEvent, itemHeads, readExportLines, tamperedExport, type ExportEdits, type ExportLine, type SigningKey,
} from './support/tampered-export';
import { sealEverything, startTestServer, waitFor, type TestServer } from './support/test-server';
import type { TestEnvironment } from './support/test-environment';

const CLI = CLI_ENTRY;

describe('export of a network with every event type', () => {
  let server: TestServer | null = null;
  let environment: TestEnvironment;
  let work: string;
  const trusted: string[] = [];

  const publishedKeys = async (url: string): Promise<string[]> =>
    ((await (await fetch(`${url}/.well-known/pharmatrace-ledger`)).json()) as { keys: Array<{ publicKey: string }> }).keys.map((k) => k.publicKey);

  before(async () => {
    server = await startTestServer(undefined, { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' });
    environment = server.environment;
    work = mkdtempSync(join(tmpdir(), 'pharmatrace-rich-export-'));
    const keysDir = join(environment.env.PHARMATRACE_DATA_DIR, 'demo-keys');
    await server.api.get(EventPipeline).submitOne(demoGenesis(keysDir));
    await seedDemoParticipants(server.url, keysDir);
    const custody = await seedDemoCustody(server.url, keysDir);
    assert.ok(custody, 'the demo custody journeys were seeded');
    await seedDemoDispensing(server.url, keysDir, custody);
    // The worker quarantines the excursion's goods with a system event signed by the ledger key.
    const db = server.runtime.dataSource;
    await waitFor('the excursion to quarantine the goods', async () => {
      const rows: unknown[] = await db.query(`SELECT 1 FROM ledger_events WHERE type = 'coldchain.quarantined' AND actor = 'ledger' LIMIT 1`);
      return rows.length > 0;
    }, 30_000);
    await seedDemoRecall(server.url, keysDir);
    await sealEverything(server);
    trusted.push(...(await publishedKeys(server.url)));
    await server.stop();

    // The operator changes the ledger key: later blocks are sealed under the second one.
    server = await startTestServer(environment, { LEDGER_KEY_PATH: join(environment.env.PHARMATRACE_DATA_DIR, 'ledger-key-2.json') });
    const wholesalerSpec = DEMO_PARTICIPANTS.find((p) => p.id === 'demo-wholesaler') ?? DEMO_PARTICIPANTS[0];
    const wholesaler = new PharmaTraceClient(server.url, keyFor(keysDir, wholesalerSpec));
    const rotated = generateKeyFile('wholesaler operator 2', 'operator', wholesalerSpec.id);
    await rotateKey(wholesaler, wholesalerSpec.id, keyFor(keysDir, wholesalerSpec).kid, keySpecOf(rotated));
    await addKey(new PharmaTraceClient(server.url, rotated), wholesalerSpec.id, keySpecOf(generateKeyFile('dock terminal', 'terminal')));
    await sealEverything(server);
    for (const k of await publishedKeys(server.url)) if (!trusted.includes(k)) trusted.push(k);
    // The CLI opens the database itself; the embedded one has a single data folder, so the server stops first.
    await server.stop();
    server = null;
  });
  after(async () => {
    if (server) await server.stop();
    await environment?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('verifies every event, chain, signature and block with only what the format document states', async () => {
    const r = await runNode([CLI, 'export', '--out', join(work, 'full')], environment.env, 120_000);
    assert.equal(r.code, 0, r.stderr);
    const events = readFileSync(join(work, 'full', 'events.jsonl'), 'utf8').split('\n').slice(0, -1);
    const types = new Set(events.map((l) => (JSON.parse((JSON.parse(l) as { body: string }).body) as { type: string }).type));
    const actors = new Set(events.map((l) => (JSON.parse((JSON.parse(l) as { body: string }).body) as { actor: string }).actor));
    for (const t of ['custody.commissioned', 'coldchain.quarantined', 'participant.key_rotated']) assert.ok(types.has(t), `the export holds a ${t} event`);
    assert.ok([...types].some((t) => t.startsWith('dispensing.')), 'the export holds dispensing events');
    assert.ok([...types].some((t) => t.startsWith('recall.')), 'the export holds recall events');
    assert.ok(actors.has('ledger'), 'the export holds a system event of the ledger');
    const blockKids = new Set(readFileSync(join(work, 'full', 'blocks.jsonl'), 'utf8').split('\n').slice(0, -1).map((l) => (JSON.parse(l) as { kid: string }).kid));
    assert.equal(blockKids.size, 2, 'blocks were sealed under two ledger keys');

    const verdict = await verifyExport(join(work, 'full'), { trustedLedgerKeys: trusted });
    assert.ok(verdict.ok, verdict.ok ? '' : `${verdict.code}: ${verdict.message}`);
    assert.equal(verdict.report.events, events.length);
    assert.equal(verdict.report.unsealed, 0);
  });

  // Tampered copies of that export (support/tampered-export.ts): each alteration is signed with a key the test
  // holds (a demo participant's key file, or a ledger key file from the data folder), so only the rule under
  // test can refuse it; each group starts with a control that the same tooling, used lawfully, is accepted.
  const full = () => join(work, 'full');
  const tampered = (edits: ExportEdits): string => tamperedExport(full(), work, edits);
  const verify = (dir: string) => verifyExport(dir, { trustedLedgerKeys: trusted });
  const assertAccepted = async (dir: string, options: VerifyOptions = { trustedLedgerKeys: trusted }) => {
    const verdict = await verifyExport(dir, options);
    assert.ok(verdict.ok, verdict.ok ? '' : `${verdict.code}: ${verdict.message}`);
    return verdict.report;
  };
  const demoKeysDir = () => join(environment.env.PHARMATRACE_DATA_DIR, 'demo-keys');
  const manufacturer = (): SigningKey & { participantId: string } => {
    const key = keyFor(demoKeysDir(), DEMO_PARTICIPANTS.find((p) => p.id === 'demo-manufacturer') ?? DEMO_PARTICIPANTS[1]);
    return { ...key, participantId: key.participantId ?? 'demo-manufacturer' };
  };
  /** The ledger key files: the first (`ledger-key.json`) and the one the server was restarted with. */
  const ledgerKey = (n: 1 | 2): SigningKey =>
    JSON.parse(readFileSync(join(environment.env.PHARMATRACE_DATA_DIR, n === 1 ? 'ledger-key.json' : 'ledger-key-2.json'), 'utf8')) as SigningKey;
  /** The demo's commissioning: its line, its batch, the GTIN of its packs and a pack it created. */
  const demoCommissioning = (lines: ExportLine[]) => {
    const line = lines.find((l) => envelopeOf(l).type === 'custody.commissioned') as ExportLine;
    const data = envelopeOf(line).data as EventData & { batch: string; serials: string[] };
    const gtin = data.batch.slice('batch:'.length, 'batch:'.length + 14);
    return { line, batch: data.batch, serial: data.serials[0], pack: (serial: string) => `sgtin:${gtin}.${serial}` };
  };
  /** Appends a commissioning of `serials` by the manufacturer, its batch chained to its head (§7.1); returns its hash. */
  const commission = (lines: ExportLine[], serials: string[], alsoListed: Array<{ id: string; prev: string | null }> = []): string => {
    const { batch } = demoCommissioning(lines);
    const m = manufacturer();
    const assets = [{ id: batch, prev: itemHeads(lines).get(batch) ?? null }, ...alsoListed];
    return appendEvent(lines, forgeEvent(m, { actor: m.participantId, type: 'custody.commissioned', assets, data: { v: 1, batch, serials } }));
  };
  /** Appends a packing of `packs` (each citing `prev`) into a new case by the manufacturer. */
  const packInto = (lines: ExportLine[], packs: Array<{ id: string; prev: string | null }>): string => {
    const m = manufacturer();
    const container = { id: 'sscc:000000000000999999', kind: 'case' };
    const assets = [{ id: container.id, prev: null }, ...packs];
    return appendEvent(lines, forgeEvent(m, { actor: m.participantId, type: 'custody.packed', assets, data: { v: 1, container, contents: packs.map((p) => p.id) } }));
  };

  it('§7.1 control: packs a forged-but-validly-signed commissioning creates start their chains there', async () => {
    const exported = readExportLines(full(), 'events.jsonl').length;
    const dir = tampered({
      events: (lines) => {
        const { pack } = demoCommissioning(lines);
        const created = commission(lines, ['TAMPER001', 'TAMPER002']);
        // Never listed before: a verifier without §7.1 would expect prev null here and call the chain broken.
        packInto(lines, [{ id: pack('TAMPER001'), prev: created }, { id: pack('TAMPER002'), prev: created }]);
      },
    });
    const report = await assertAccepted(dir);
    assert.deepEqual([report.events, report.unsealed], [exported + 2, 2]);
  });

  it('§7 and §7.1: a commissioned pack cited with prev null, or with a prev that is not its head, is refused with BROKEN_CHAIN', async () => {
    const pointAt = (prev: (lines: ExportLine[], created: string) => string | null) =>
      tampered({
        events: (lines) => {
          const { pack } = demoCommissioning(lines);
          const created = commission(lines, ['TAMPER003']);
          packInto(lines, [{ id: pack('TAMPER003'), prev: prev(lines, created) }]);
        },
      });
    // Created by the commissioning without being listed, so it is not new any more: prev null is a second creation.
    assertRefused(await verify(pointAt(() => null)), 'BROKEN_CHAIN', /sgtin:\d{14}\.TAMPER003 names prev null, its head is [0-9a-f]{64}/);
    // Another event's hash (the one before the commissioning) instead of the commissioning's.
    assertRefused(await verify(pointAt((lines) => lines[lines.length - 2].hash as string)), 'BROKEN_CHAIN', /TAMPER003 names prev [0-9a-f]{64}, its head/);
    // A demo pack packed into a case since: its commissioning is no longer its head.
    const stale = tampered({
      events: (lines) => {
        const { line, pack, serial } = demoCommissioning(lines);
        packInto(lines, [{ id: pack(serial), prev: line.hash as string }]);
      },
    });
    assertRefused(await verify(stale), 'BROKEN_CHAIN', /names prev [0-9a-f]{64}, its head is [0-9a-f]{64}/);
  });

  it('§7.1: a commissioning creates only packs never seen before, each once, none also listed in its assets (BROKEN_CHAIN)', async () => {
    const cases: Array<[string, (lines: ExportLine[]) => void, RegExp]> = [
      ['a demo serial commissioned again', (lines) => void commission(lines, [demoCommissioning(lines).serial]), /which already has a chain/],
      ['one serial twice', (lines) => void commission(lines, ['TAMPER004', 'TAMPER004']), /TAMPER004 is created twice or also listed/],
      ['a created pack also listed', (lines) => void commission(lines, ['TAMPER005'], [{ id: demoCommissioning(lines).pack('TAMPER005'), prev: null }]), /TAMPER005 is created twice or also listed/],
      [
        'a pack first listed by another event, then commissioned',
        (lines) => {
          packInto(lines, [{ id: demoCommissioning(lines).pack('TAMPER006'), prev: null }]);
          commission(lines, ['TAMPER006']);
        },
        /TAMPER006, which already has a chain/,
      ],
    ];
    for (const [what, edit, message] of cases) {
      const verdict = await verify(tampered({ events: edit }));
      assert.equal(verdict.ok, false, `${what} must be refused`);
      assertRefused(verdict, 'BROKEN_CHAIN', message);
    }
  });

  /** Appends a quarantine of the demo's first pack (chained to its head), signed by `signer` as `actor`, naming `kid`. */
  const quarantine = (lines: ExportLine[], signer: SigningKey, actor = 'ledger', kid = signer.kid): void => {
    const { pack, serial } = demoCommissioning(lines);
    const real = lines.map(envelopeOf).find((e) => e.type === 'coldchain.quarantined');
    const data = { ...(real?.data ?? { v: 1 }), items: [pack(serial)], reason: 'Forged for the tamper test.' };
    appendEvent(lines, forgeEvent(signer, { actor, kid, type: 'coldchain.quarantined', assets: [{ id: pack(serial), prev: itemHeads(lines).get(pack(serial)) ?? null }], data }));
  };

  it('§6.2 and §3.3 control: a system event verifies under any listed ledger key, the first one too after the second took over', async () => {
    const real = readExportLines(full(), 'events.jsonl').map(envelopeOf).find((e) => e.type === 'coldchain.quarantined');
    assert.deepEqual([real?.actor, real?.kid], ['ledger', ledgerKey(1).kid], 'the demo quarantine is signed by the first ledger key');
    const report = await assertAccepted(tampered({ events: (lines) => [ledgerKey(1), ledgerKey(2)].forEach((k) => quarantine(lines, k)) }));
    assert.equal(report.unsealed, 2);
  });

  it('§6.2: a system event not signed by a listed ledger key, or a participant event signed by one, is refused', async () => {
    const m = manufacturer();
    // Actor `ledger` with a participant's key: never looked up in the participant directory.
    assertRefused(await verify(tampered({ events: (lines) => quarantine(lines, m) })), 'UNKNOWN_KEY', /system event signed by .*not in ledger-keys\.json/);
    // Naming the ledger key but signed by the participant's: the named key does not verify it.
    assertRefused(await verify(tampered({ events: (lines) => quarantine(lines, m, 'ledger', ledgerKey(2).kid) })), 'BAD_SIGNATURE');
    // A participant event signed with the ledger key: not a key of that participant (§6.1).
    assertRefused(await verify(tampered({ events: (lines) => quarantine(lines, ledgerKey(1), m.participantId) })), 'UNKNOWN_KEY', /was never registered/);
  });

  it('§3.2 and §3.3: each block verifies only under the ledger key it names, and that key must be listed correctly', async () => {
    const blocks = readExportLines(full(), 'blocks.jsonl');
    const firstUnderSecond = blocks.find((b) => b.kid === ledgerKey(2).kid)?.header?.height;
    assert.ok(typeof firstUnderSecond === 'number' && firstUnderSecond > 1, 'later blocks are sealed under the second key');
    // ledger-keys.json without the second key: the first block it sealed names a key that is not listed.
    const dropped = tampered({ ledgerKeys: (file) => void (file.keys = file.keys.filter((k) => k.kid !== ledgerKey(2).kid)) });
    assertRefused(await verify(dropped), 'UNKNOWN_LEDGER_KEY', new RegExp(`^block ${firstUnderSecond}: `));
    // A block naming the other ledger key without being re-signed by it.
    const renamed = tampered({ blocks: (lines) => void (lines[lines.length - 1].kid = ledgerKey(1).kid) });
    assertRefused(await verify(renamed), 'BAD_BLOCK_SIGNATURE');
    // The two keys' kids swapped in ledger-keys.json: a kid must be the key id of its public key (§4.4).
    const swapped = tampered({ ledgerKeys: (file) => void ([file.keys[0].kid, file.keys[1].kid] = [file.keys[1].kid, file.keys[0].kid]) });
    assertRefused(await verify(swapped), 'BAD_LEDGER_KEYS', /not named by its key id/);
  });

  it('§3.3: ledger keys have no validity window, so only a key obtained independently tells the ledger from a forger', async () => {
    const resign = (signer: SigningKey) => (lines: ExportLine[]) => {
      const last = lines[lines.length - 1];
      const signed = signBlockHeader(last.header as unknown as BlockHeader, fromBase64Url(signer.secretKey));
      Object.assign(last, { kid: signed.kid, sig: signed.sig });
    };
    // The newest block re-signed by the first key after the second took over: valid, as the document says.
    await assertAccepted(tampered({ blocks: resign(ledgerKey(1)) }));
    // Re-signed by a stranger's key listed in ledger-keys.json: the file alone accepts it; the trusted keys do not.
    const stranger = generateKeyFile('not the ledger');
    const forged = tampered({
      blocks: resign(stranger),
      ledgerKeys: (file) => void file.keys.push({ kid: stranger.kid, publicKey: stranger.publicKey, createdAt: new Date().toISOString() }),
    });
    await assertAccepted(forged, {});
    assertRefused(await verify(forged), 'UNTRUSTED_LEDGER_KEY', new RegExp(stranger.kid));
  });

  it('§3.4 and §8 step 6: a manifest whose latestBlock or unsealedEvents disagree with blocks.jsonl is refused with MANIFEST_MISMATCH', async () => {
    await assertAccepted(tampered({ manifest: () => undefined }));
    const blocks = readExportLines(full(), 'blocks.jsonl');
    const previous = blocks[blocks.length - 2] as ExportLine & { header: Record<string, number | string> };
    const cases: Array<[string, ExportEdits['manifest']]> = [
      ['latestBlock.height one more', (m) => void (m.latestBlock && m.latestBlock.height++)],
      ['latestBlock.treeSize one less', (m) => void (m.latestBlock && m.latestBlock.treeSize--)],
      ['latestBlock.headerHash of the block before', (m) => void (m.latestBlock && (m.latestBlock.headerHash = previous.headerHash as string))],
      ['latestBlock.rootHash of the block before', (m) => void (m.latestBlock && (m.latestBlock.rootHash = previous.header.rootHash as string))],
      [
        'latestBlock naming the block before (consistent, but not the newest)',
        (m) => void (m.latestBlock = { height: previous.header.height as number, headerHash: previous.headerHash as string, treeSize: previous.header.treeSize as number, rootHash: previous.header.rootHash as string }),
      ],
      ['latestBlock with an extra lastSeq member', (m) => void Object.assign(m.latestBlock ?? {}, { lastSeq: m.latestBlock?.treeSize })],
      ['latestBlock null (nothing sealed)', (m) => void (m.latestBlock = null)],
      ['unsealedEvents one more', (m) => void m.unsealedEvents++],
    ];
    for (const [what, edit] of cases) {
      const verdict = await verify(tampered({ manifest: edit }));
      assert.equal(verdict.ok, false, `a manifest with ${what} must be refused`);
      assertRefused(verdict, 'MANIFEST_MISMATCH');
    }
  });
});

describe('audit and export with no database configured', () => {
  for (const command of [['audit'], ['export', '--out', 'out']]) {
    it(`${command[0]} says what to pass and creates no ./.data`, async () => {
      const cwd = mkdtempSync(join(tmpdir(), 'pharmatrace-no-db-'));
      try {
        const r = await runNode([CLI, ...command], {}, 60_000, cwd);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, /--server/);
        assert.match(r.stderr, /DATABASE_URL/);
        assert.match(r.stderr, /PHARMATRACE_DATA_DIR/);
        assert.deepEqual(readdirSync(cwd), [], 'nothing is created in the working folder');
        assert.equal(existsSync(join(cwd, '.data')), false);
      } finally {
        rmSync(cwd, { recursive: true, force: true });
      }
    });
  }
});
