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
import { verifyExport } from './support/independent-verifier';
import { CLI_ENTRY, runNode } from './support/run-cli';
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
