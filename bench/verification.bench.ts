// Patient verification under load (issue 12: "≥ 3,000 scans/s JSON with p99 ≤ 20 ms, the HTML page
// ≥ 1,000/s, 20 connections; baseline: a bare Fastify route doing one indexed lookup"). The scans are the
// pack's full Digital Link (GTIN, lot, serial, expiry) as a phone opens it, answered by the resolver with
// the verdict, journey, temperatures and ledger proof. The baseline is a bare Fastify server on the same
// database answering one primary-key lookup of the pack. Both are driven by BENCH_SCAN_CONNECTIONS
// (default 20) loops in this process for BENCH_SCAN_SECONDS each (default 5). Rate limits are off.
import Fastify from 'fastify';
import { Pool } from 'pg';
import { commissionPacks } from '@pharmatrace/sdk';
import { productAndBatch } from '../test/support/custody-fixture';
import { startTestServer } from '../test/support/test-server';
import { createTestNetwork } from '../test/support/test-network';
import { envInt, report } from './measure';

interface Load {
  rate: number;
  p99: number;
}

/** `connections` loops calling `url(i)` for `seconds`: requests/s and the p99 latency in ms. */
async function load(connections: number, seconds: number, url: (i: number) => string, headers: Record<string, string>): Promise<Load> {
  const latencies: number[] = [];
  const deadline = Date.now() + seconds * 1000;
  let i = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < deadline) {
        const t0 = process.hrtime.bigint();
        const r = await fetch(url(i++), { headers });
        if (r.status !== 200) throw new Error(`${url(i)} answered ${r.status}`);
        await r.arrayBuffer();
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  return { rate: latencies.length / elapsed, p99: latencies[Math.floor(latencies.length * 0.99)] ?? 0 };
}

export async function verificationBench(): Promise<void> {
  const connections = envInt('BENCH_SCAN_CONNECTIONS', 20);
  const seconds = envInt('BENCH_SCAN_SECONDS', 5);
  const server = await startTestServer(undefined, { RATE_LIMIT_PUBLIC_PER_CLIENT: '1000000', RATE_LIMIT_PUBLIC_READS_PER_CLIENT: '10000000' });
  const pool = new Pool({ connectionString: server.runtime.databaseUrl, max: 10 });
  const bare = Fastify();
  try {
    const net = await createTestNetwork(server);
    const maker = await net.join('manufacturer', 'bench-scan-maker');
    const { gtin, batch } = await productAndBatch(maker, 1000, { manufacturedOn: '2026-01-10', expiresOn: '2028-01-31' });
    const lot = batch.slice(batch.indexOf('/') + 1);
    const { serials } = await commissionPacks(maker, batch, 1000);
    const link = (i: number) => `${server.url}/01/${gtin}/10/${encodeURIComponent(lot)}/21/${encodeURIComponent(serials[i % serials.length])}?17=280131`;

    bare.get<{ Params: { gtin: string; serial: string } }>('/01/:gtin/21/:serial', async (req) => {
      const { rows } = await pool.query('SELECT state FROM custody_items WHERE id = $1', [`sgtin:${req.params.gtin}.${req.params.serial}`]);
      return { found: rows.length > 0 };
    });
    const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });
    const bareLink = (i: number) => `${bareUrl}/01/${gtin}/21/${encodeURIComponent(serials[i % serials.length])}`;

    await load(connections, 1, link, { accept: 'application/json' }); // warm-up
    const baseline = await load(connections, seconds, bareLink, { accept: 'application/json' });
    const json = await load(connections, seconds, link, { accept: 'application/json' });
    const html = await load(connections, seconds, link, { accept: 'text/html' });
    report(`patient scans, JSON (${connections} connections)`, json.rate, 'bare Fastify, one indexed lookup', baseline.rate, 'scans/s');
    report('  p99 latency (ms)', json.p99, 'bare p99', baseline.p99, 'ms');
    report(`patient scans, HTML page (${connections} connections)`, html.rate, 'bare Fastify, one indexed lookup', baseline.rate, 'scans/s');
    report('  p99 latency (ms)', html.p99, 'bare p99', baseline.p99, 'ms');
  } finally {
    await bare.close();
    await pool.end();
    await server.close();
  }
}
