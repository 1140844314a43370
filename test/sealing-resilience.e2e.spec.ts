// The sealer under stress: two worker processes never seal twice, a worker killed in the middle of a
// seal leaves nothing half-written and the next seal produces the same block, and events accepted while
// no worker runs (or while Redis is down) are sealed once one is back.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { CompactMerkleTree, fromHex, leafHash, toHex } from '@pharmatrace/ledger-core';
import { BlockSealer, loadOrCreateLedgerKey, SEAL_LOCK } from '@pharmatrace/ledger';
import { participantAssetId } from '@pharmatrace/participants/participant-events';
import { LedgerClient, PharmaTraceClient, verifyBlock, verifyChain } from '@pharmatrace/sdk';
import { ApiOnly, startApiOnly, startChild } from './support/split-deployment';
import { createTestNetwork } from './support/test-network';
import { licenceRenewals, submitInBatches } from './support/bulk-events';
import { waitFor } from './support/test-server';

async function populate(deployment: ApiOnly, count: number): Promise<{ regulator: PharmaTraceClient; lastSeq: number }> {
  const net = await createTestNetwork({ api: deployment.api, url: deployment.url } as Parameters<typeof createTestNetwork>[0]);
  const target = await net.join('wholesaler', `target-${Date.now()}`);
  const head = (await net.regulator.assetHead(participantAssetId(target.participantId))) as string;
  const lastSeq = await submitInBatches(net.regulator, licenceRenewals(net.regulator.key, target.participantId, head, count));
  return { regulator: net.regulator, lastSeq };
}

async function count(deployment: ApiOnly, table: 'ledger_blocks' | 'merkle_nodes'): Promise<number> {
  const rows: Array<{ n: string }> = await deployment.runtime.dataSource.query(`SELECT count(*) AS n FROM ${table}`);
  return Number(rows[0].n);
}

async function expectedRoot(deployment: ApiOnly, lastSeq: number): Promise<string> {
  const rows: Array<{ hash: string }> = await deployment.runtime.dataSource.query('SELECT hash FROM ledger_events WHERE seq <= $1 ORDER BY seq', [lastSeq]);
  const tree = CompactMerkleTree.empty();
  for (const r of rows) tree.append(leafHash(fromHex(r.hash)));
  return toHex(tree.root());
}

describe('sealing resilience', () => {
  const open: ApiOnly[] = [];
  after(async () => {
    for (const d of open) await d.close();
  });

  it('exactly one sealer at a time: the advisory lock turns a second sealer away', async () => {
    const d = await startApiOnly();
    open.push(d);
    await populate(d, 20);
    const holder = new Client({ connectionString: d.runtime.databaseUrl });
    await holder.connect();
    // A sealer of its own, with no worker around whose timer could seal in between.
    const sealer = new BlockSealer(d.runtime.dataSource, loadOrCreateLedgerKey(d.runtime.config.ledgerKeyPath), 1000);
    await sealer.registerKey();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [SEAL_LOCK]);
      assert.equal(await sealer.sealOne(), null, 'while another session holds the seal lock nothing is sealed');
      assert.equal(await count(d, 'ledger_blocks'), 0);
      await holder.query('SELECT pg_advisory_unlock($1)', [SEAL_LOCK]);
      assert.ok(await sealer.sealOne(), 'once released, the sealer proceeds');
    } finally {
      await holder.end();
    }
  });

  it('two worker processes sealing the same log produce one valid chain with every event sealed once', async () => {
    const d = await startApiOnly({ LEDGER_MAX_BLOCK_EVENTS: '40', SEAL_INTERVAL_MS: '100', SEAL_DEBOUNCE_MS: '0' });
    open.push(d);
    const env = d.childEnv({ LEDGER_MAX_BLOCK_EVENTS: '40', SEAL_INTERVAL_MS: '100', SEAL_DEBOUNCE_MS: '0', LOG_LEVEL: 'debug' });
    const workers = [startChild('apps/worker/src/main.ts', env), startChild('apps/worker/src/main.ts', env)];
    try {
      const { lastSeq } = await populate(d, 1500);
      const ledger = new LedgerClient(d.url);
      const latest = await waitFor('all events sealed', async () => {
        const b = await ledger.latestBlock();
        return b && b.header.lastSeq === lastSeq ? b : null;
      }, 60_000);
      const blocks = await ledger.blocks(0, 500);
      assert.equal(blocks.length, latest.header.height);
      assert.deepEqual(verifyChain(blocks.map((b) => b.header)), { ok: true });
      const [{ publicKey }] = await ledger.ledgerKeys();
      for (const b of blocks) assert.deepEqual(verifyBlock(b, publicKey), { ok: true });
      assert.equal(latest.header.rootHash, await expectedRoot(d, lastSeq));
      const sealedBy = workers.map((w) => (w.output().match(/Sealed block/g) ?? []).length);
      console.log(`blocks sealed by each worker: ${sealedBy.join(' and ')}`);
    } finally {
      for (const w of workers) assert.equal(await w.stop(), 0);
    }
  });

  it('a worker killed in the middle of a seal leaves nothing half-written; the next seal gives the same block', async () => {
    const d = await startApiOnly({ LEDGER_MAX_BLOCK_EVENTS: '100000' });
    open.push(d);
    const { lastSeq } = await populate(d, 6000);
    const watcher = new Client({ connectionString: d.runtime.databaseUrl });
    await watcher.connect();
    const worker = startChild('apps/worker/src/main.ts', d.childEnv({ LEDGER_MAX_BLOCK_EVENTS: '100000' }));
    try {
      // Poll tightly: the kill must land while the seal's transaction holds the lock.
      const deadline = Date.now() + 60_000;
      for (;;) {
        const { rows } = await watcher.query("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND granted", [SEAL_LOCK]);
        if (rows.length > 0) break;
        if (Date.now() > deadline) throw new Error(`the worker never took the seal lock:\n${worker.output()}`);
      }
      worker.child.kill('SIGKILL');
      await new Promise((r) => worker.child.once('exit', r));
    } finally {
      await watcher.end();
    }
    assert.equal(await count(d, 'ledger_blocks'), 0, 'no block from the killed seal');
    assert.equal(await count(d, 'merkle_nodes'), 0, 'no tree node from the killed seal');

    const next = await d.startWorker();
    try {
      // The killed worker's database session may hold the lock a little longer, until the server notices
      // its client is gone and rolls back; the new worker's timer retries until it gets the lock.
      const ledger = new LedgerClient(d.url);
      const blocks = await waitFor('the backlog to be sealed by the next worker', async () => {
        const found = await ledger.blocks(0);
        return found.length > 0 ? found : null;
      }, 30_000);
      assert.equal(blocks.length, 1);
      assert.equal(blocks[0].header.lastSeq, lastSeq);
      assert.equal(blocks[0].header.rootHash, await expectedRoot(d, lastSeq), 'the same root it would have had');
    } finally {
      await next.close();
    }
  });

  it('events accepted while no worker runs are sealed once one is back', async () => {
    const d = await startApiOnly({ SEAL_INTERVAL_MS: '200' });
    open.push(d);
    const { lastSeq } = await populate(d, 30);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await count(d, 'ledger_blocks'), 0, 'nothing sealed without a worker');
    const worker = await d.startWorker();
    try {
      const ledger = new LedgerClient(d.url);
      await waitFor('the backlog to be sealed', async () => ((await ledger.latestBlock())?.header.lastSeq ?? 0) >= lastSeq);
    } finally {
      await worker.close();
    }
  });
});
