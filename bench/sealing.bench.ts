// Sealing and proving beside their raw baselines, on a real database.
import { CompactMerkleTree, fromHex, leafHash } from '@pharmatrace/ledger-core';
import { BlockSealer, LedgerProofs, loadOrCreateLedgerKey } from '@pharmatrace/ledger';
import { participantAssetId } from '@pharmatrace/participants/participant-events';
import { ApiOnly, startApiOnly } from '../test/support/split-deployment';
import { createTestNetwork } from '../test/support/test-network';
import { licenceRenewals, submitInBatches } from '../test/support/bulk-events';
import { opsPerSecond, report } from './measure';

export async function sealingBench(): Promise<void> {
  const events = 5000;
  const d: ApiOnly = await startApiOnly({ LEDGER_MAX_BLOCK_EVENTS: String(events * 2) });
  try {
    const net = await createTestNetwork({ api: d.api, url: d.url } as Parameters<typeof createTestNetwork>[0]);
    const target = await net.join('wholesaler', 'bench-target');
    const head = (await net.regulator.assetHead(participantAssetId(target.participantId))) as string;
    await submitInBatches(net.regulator, licenceRenewals(net.regulator.key, target.participantId, head, events));

    const ds = d.runtime.dataSource;
    const rows: Array<{ hash: string }> = await ds.query('SELECT hash FROM ledger_events ORDER BY seq');
    // Baseline: the bare work of a seal — read the hashes, hash the tree, write its nodes in one statement.
    await ds.query('CREATE TABLE bench_nodes (level smallint, idx bigint, hash bytea, PRIMARY KEY (level, idx))');
    let started = process.hrtime.bigint();
    const raw: Array<{ level: number; index: number; hash: Uint8Array }> = [];
    const tree = CompactMerkleTree.empty();
    const fetched: Array<{ hash: string }> = await ds.query('SELECT hash FROM ledger_events ORDER BY seq');
    for (const r of fetched) raw.push(...tree.append(leafHash(fromHex(r.hash))));
    await ds.query('INSERT INTO bench_nodes SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])', [
      raw.map((n) => n.level),
      raw.map((n) => n.index),
      raw.map((n) => Buffer.from(n.hash)),
    ]);
    const rawRate = rows.length / (Number(process.hrtime.bigint() - started) / 1e9);

    const sealer = new BlockSealer(ds, loadOrCreateLedgerKey(d.runtime.config.ledgerKeyPath), events * 2);
    await sealer.registerKey();
    started = process.hrtime.bigint();
    await sealer.sealPending();
    const sealRate = rows.length / (Number(process.hrtime.bigint() - started) / 1e9);
    report(`seal ${rows.length} events into one block`, sealRate, 'bare hash + node insert', rawRate, 'events/s');

    const proofs = d.api.get(LedgerProofs);
    const hashes = rows.map((r) => r.hash);
    const proofRate = await opsPerSecond(300, (i) => proofs.provenEvent(hashes[(i * 7919) % hashes.length]));
    const lookupRate = await opsPerSecond(300, (i) => ds.query('SELECT seq, body FROM ledger_events WHERE hash = $1', [hashes[(i * 7919) % hashes.length]]));
    report('event + inclusion proof (stored nodes)', proofRate, 'bare event lookup by hash', lookupRate, 'proofs/s');
  } finally {
    await d.close();
  }
}
