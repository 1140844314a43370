// Commissioning 100,000 packs through the API in one atomic call, beside the raw baseline of the same
// rows bulk-inserted straight into PostgreSQL (items and chain heads, one multi-row INSERT each per 1,000).
import { generateSerials } from '@pharmatrace/gs1';
import { commissionPacks } from '@pharmatrace/sdk';
import { packAssetId } from '@pharmatrace/custody/custody-events';
import { startTestServer } from '../test/support/test-server';
import { createTestNetwork } from '../test/support/test-network';
import { productAndBatch } from '../test/support/custody-fixture';
import { report } from './measure';

export async function custodyBench(): Promise<void> {
  const server = await startTestServer();
  try {
    const net = await createTestNetwork(server);
    const maker = await net.join('manufacturer', 'bench-maker');
    const count = 100_000;
    const { gtin, batch } = await productAndBatch(maker, count);
    let started = process.hrtime.bigint();
    await commissionPacks(maker, batch, count);
    const apiRate = count / (Number(process.hrtime.bigint() - started) / 1e9);

    const ds = server.runtime.dataSource;
    await ds.query('CREATE TABLE bench_items (LIKE custody_items INCLUDING ALL); CREATE TABLE bench_heads (LIKE asset_heads INCLUDING ALL);');
    const serials = generateSerials(count);
    started = process.hrtime.bigint();
    await ds.transaction(async (m) => {
      for (let i = 0; i < count; i += 1000) {
        const part = serials.slice(i, i + 1000);
        const ids = part.map((s) => packAssetId(gtin, s));
        await m.query(
          `INSERT INTO bench_items (id, kind, gtin, serial, batch_id, custodian_id, state, created_seq, updated_seq)
           SELECT id, 'pack', $3, serial, $4, $5, 'active', 1, 1 FROM unnest($1::text[], $2::text[]) AS t(id, serial)`,
          [ids, part, gtin, batch, maker.participantId],
        );
        await m.query("INSERT INTO bench_heads (asset_id, head_hash, head_seq) SELECT a, repeat('0', 64), 1 FROM unnest($1::text[]) AS t(a)", [ids]);
      }
    });
    const rawRate = count / (Number(process.hrtime.bigint() - started) / 1e9);
    report(`commission ${count} packs in one API call`, apiRate, 'raw bulk INSERT of the same rows', rawRate, 'packs/s');
  } finally {
    await server.close();
  }
}
