// Scale-out (issue 12, reliability): two API processes and two worker processes on one database and one
// queue (PostgreSQL's, or Redis where REDIS_URL is set), under concurrent load through both APIs and a
// recall in the middle of it: every event is stored once and sealed once (blocks cover the log without a
// gap or an overlap), every holder is told once and its webhook is delivered once, and the audit passes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { Client } from 'pg';
import { ParticipantEventTypes, participantAssetId } from '@pharmatrace/participants/participant-events';
import {
  commissionPacks, generateKeyFile, initiateRecall, keySpecOf, myRecallNotifications, PharmaTraceClient, readKeyFile, receive, registerParticipant, registerWebhook, ship,
} from '@pharmatrace/sdk';
import { eventHash, type SignedEvent } from '@pharmatrace/ledger-core';
import { productAndBatch } from './support/custody-fixture';
import { createTestEnvironment, freePort, TestEnvironment } from './support/test-environment';
import { LICENCE, uniqueGln } from './support/test-network';
import { runCli } from './support/run-cli';
import { ChildHandle, DeploymentDatabase, deploymentDatabase, startChild, waitUntilHealthy } from './support/split-deployment';

const PHARMACIES = 4;
const EVENTS_PER_PHARMACY = 25;

describe('two APIs and two workers on one database and queue', () => {
  let environment: TestEnvironment;
  let deployment: DeploymentDatabase;
  let env: Record<string, string>;
  let db: Client;
  let receiver: Server;
  const deliveries = new Map<string, number>();
  const children: ChildHandle[] = [];

  async function until(what: string, check: () => Promise<boolean>, ms = 60_000): Promise<void> {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}:\n${children.map((c) => c.output().slice(-2000)).join('\n---\n')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const one = async <T>(sql: string): Promise<T> => (await db.query(sql)).rows[0] as T;

  before(async () => {
    environment = await createTestEnvironment();
    deployment = await deploymentDatabase(environment, { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', LEDGER_MAX_BLOCK_EVENTS: '40', SEAL_INTERVAL_MS: '300' });
    env = deployment.env;
    db = new Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    // Each pharmacy's own system: counts deliveries by their webhook-id (Standard Webhooks).
    receiver = createServer((req, res) => {
      const id = String(req.headers['webhook-id'] ?? 'none');
      deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
      req.resume();
      req.on('end', () => res.writeHead(200).end());
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    await db?.end();
    for (const c of children) await c.stop();
    await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
    await deployment?.stop();
    await environment.dispose();
  });

  it('every event stored and sealed once, every holder told once and its webhook delivered once, and the audit passes', async () => {
    const ports = [await freePort(), await freePort()];
    children.push(startChild('apps/worker/src/main.ts', env), startChild('apps/worker/src/main.ts', env));
    const apis = ports.map((port) => startChild('apps/api/src/main.ts', { ...env, PORT: String(port) }));
    children.push(...apis);
    await Promise.all(ports.map((p, i) => waitUntilHealthy(p, apis[i])));
    const url = (i: number) => `http://127.0.0.1:${ports[i % 2]}`;
    const receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;

    const regulator = new PharmaTraceClient(url(0), readKeyFile(deployment.regulatorKeyPath));
    const enrol = async (role: 'manufacturer' | 'pharmacy', id: string, api: number) => {
      const key = generateKeyFile(`${id} operator`, 'operator', id);
      await registerParticipant(regulator, { id, legalName: `${id} Ltd`, role, gln: uniqueGln(), licence: LICENCE, keys: [keySpecOf(key)] });
      return new PharmaTraceClient(url(api), key);
    };
    const maker = await enrol('manufacturer', 'scale-maker', 1);
    const pharmacies = await Promise.all(Array.from({ length: PHARMACIES }, (_, i) => enrol('pharmacy', `scale-pharmacy-${i}`, i)));
    for (const p of pharmacies) await registerWebhook(p, receiverUrl);
    const { gtin, batch } = await productAndBatch(maker, PHARMACIES * 5);
    const { serials } = await commissionPacks(maker, batch, PHARMACIES * 5);
    for (const [i, p] of pharmacies.entries()) {
      const { shipment } = await ship(maker, p.participantId, serials.slice(i * 5, i * 5 + 5).map((s) => `sgtin:${gtin}.${s}`));
      await receive(p, shipment);
    }

    // Load through both APIs at once: each pharmacy adds terminal keys one call at a time, while the
    // regulator recalls the batch through the other API.
    const chains = await Promise.all(
      pharmacies.map(async (p) => {
        let prev = await p.assetHead(participantAssetId(p.participantId));
        const out: SignedEvent[] = [];
        for (let i = 0; i < EVENTS_PER_PHARMACY; i++) {
          const signed = p.sign({ type: ParticipantEventTypes.keyAdded, assets: [{ id: participantAssetId(p.participantId), prev }], data: { v: 1, participant: p.participantId, key: keySpecOf(generateKeyFile(`t${i}`, 'terminal')) } });
          prev = eventHash(signed.event);
          out.push(signed);
        }
        return out;
      }),
    );
    const recallBy = new PharmaTraceClient(url(1), regulator.key);
    const [, { recall }] = await Promise.all([
      Promise.all(pharmacies.map(async (p, i) => {
        for (const signed of chains[i]) await p.submit(signed);
      })),
      initiateRecall(recallBy, { class: 'II', reason: 'scale-out test', instructions: 'Quarantine and return', notifyPatients: false, batches: [batch] }),
    ]);

    // Every holder told once, and its webhook delivered once.
    await until('every holder to be told', async () => (await Promise.all(pharmacies.map((p) => myRecallNotifications(p)))).every((n) => n.filter((x) => x.recall === recall).length === 1));
    for (const p of pharmacies) assert.equal((await myRecallNotifications(p)).filter((x) => x.recall === recall).length, 1);
    await until('every webhook to be delivered', async () => deliveries.size >= PHARMACIES);
    await new Promise((r) => setTimeout(r, 1000)); // a second delivery of the same message would have arrived by now
    assert.equal(deliveries.size, PHARMACIES, `one message per holder: ${JSON.stringify([...deliveries])}`);
    assert.deepEqual([...new Set(deliveries.values())], [1], 'each message delivered once');

    // Every event sealed once: the blocks cover 1..last seq without gap or overlap.
    const { n } = await one<{ n: string }>('SELECT count(*) AS n FROM ledger_events');
    await until('every event to be sealed', async () => Number((await one<{ last: string | null }>('SELECT max(last_seq) AS last FROM ledger_blocks')).last ?? 0) >= Number(n));
    const blocks = (await db.query('SELECT first_seq, last_seq, tree_size FROM ledger_blocks ORDER BY height')).rows as Array<{ first_seq: string; last_seq: string; tree_size: string }>;
    assert.ok(blocks.length > 1, 'the load was sealed in several blocks');
    blocks.forEach((b, i) => {
      assert.equal(Number(b.first_seq), i === 0 ? 1 : Number(blocks[i - 1].last_seq) + 1, `block ${i + 1} starts right after the one before`);
      assert.equal(Number(b.tree_size), Number(b.last_seq));
    });
    assert.equal(Number(blocks[blocks.length - 1].last_seq), Number(n));

    const audit = await runCli(['audit'], env);
    assert.equal(audit.code, 0, audit.stderr);
    assert.match(audit.stdout, /^AUDIT OK: /);
  });
});
