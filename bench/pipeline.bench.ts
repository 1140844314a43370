// Events through the API (SDK → GraphQL → pipeline → PostgreSQL) beside the raw baseline of the same
// work done bare: a signature verify and one INSERT per event in its own transaction, same database.
import { eventHash, eventSigningMessage, fromBase64Url } from '@pharmatrace/ledger-core';
import { NodeCryptoVerifier } from '@pharmatrace/ledger-core/node-crypto-verifier';
import { participantAssetId, ParticipantEventTypes } from '@pharmatrace/participants/participant-events';
import { generateKeyFile, keySpecOf, PharmaTraceClient } from '@pharmatrace/sdk';
import { SignedEvent } from '@pharmatrace/ledger-core';
import { startTestServer } from '../test/support/test-server';
import { createTestNetwork } from '../test/support/test-network';
import { envInt, opsPerSecond, report } from './measure';

function chain(client: PharmaTraceClient, head: string | null, count: number): SignedEvent[] {
  const out: SignedEvent[] = [];
  let prev = head;
  for (let i = 0; i < count; i++) {
    const signed = client.sign({
      type: ParticipantEventTypes.keyAdded,
      assets: [{ id: participantAssetId(client.participantId), prev }],
      data: { v: 1, participant: client.participantId, key: keySpecOf(generateKeyFile(`t${i}`, 'terminal')) },
    });
    prev = eventHash(signed.event);
    out.push(signed);
  }
  return out;
}

export async function pipelineBench(): Promise<void> {
  const server = await startTestServer();
  try {
    const net = await createTestNetwork(server);
    const single = await net.join('manufacturer', 'bench-single');
    const batcher = await net.join('manufacturer', 'bench-batch');
    await single.signIn();
    await batcher.signIn();

    const n = 300;
    const singles = chain(single, await single.assetHead(participantAssetId(single.participantId)), n + 20);
    const apiSingle = await opsPerSecond(n, (i) => single.submit(singles[i]));

    const batchSize = 100;
    const batches = 6;
    const batched = chain(batcher, await batcher.assetHead(participantAssetId(batcher.participantId)), (batches + 1) * batchSize);
    const batchRate = (await opsPerSecond(batches, (i) => batcher.submitMany(batched.slice(i * batchSize, (i + 1) * batchSize)))) * batchSize;

    const ds = server.runtime.dataSource;
    await ds.query('CREATE TABLE bench_raw (seq bigserial PRIMARY KEY, hash char(64), body text, sig text)');
    const verifier = new NodeCryptoVerifier();
    const pub = fromBase64Url(single.key.publicKey);
    const raw = await opsPerSecond(n, async (i) => {
      const s = singles[i % singles.length];
      const hash = eventHash(s.event);
      if (!verifier.verify(fromBase64Url(s.sig), eventSigningMessage(hash), pub)) throw new Error('bad');
      await ds.transaction((m) => m.query('INSERT INTO bench_raw (hash, body, sig) VALUES ($1, $2, $3)', [hash, JSON.stringify(s.event), s.sig]));
    });
    report('events through the API, one per call', apiSingle, 'bare verify + INSERT per event', raw, 'events/s');
    report(`events through the API, batches of ${batchSize}`, batchRate, 'bare verify + INSERT per event', raw, 'events/s');

    // Many terminals at once (issue 12): each client submits its own chain one event per call, all at
    // once; group commit lets their calls share transactions under the log lock. Baseline: the same
    // clients doing verify + INSERT bare, each in its own transaction, on the same pool.
    const clients = envInt('BENCH_CLIENTS', 50);
    const perClient = envInt('BENCH_EVENTS_PER_CLIENT', 40);
    const terminals = await Promise.all(Array.from({ length: clients }, (_, i) => net.join('pharmacy', `bench-terminal-${i}`)));
    await Promise.all(terminals.map((t) => t.signIn()));
    const chains = await Promise.all(terminals.map(async (t) => chain(t, await t.assetHead(participantAssetId(t.participantId)), perClient)));
    const concurrent = await concurrently(clients, perClient, (c, i) => terminals[c].submit(chains[c][i]));
    const bare = await concurrently(clients, perClient, async (c, i) => {
      const s = chains[c][i];
      const hash = eventHash(s.event);
      if (!verifier.verify(fromBase64Url(s.sig), eventSigningMessage(hash), fromBase64Url(terminals[c].key.publicKey))) throw new Error('bad');
      await ds.transaction((m) => m.query('INSERT INTO bench_raw (hash, body, sig) VALUES ($1, $2, $3)', [hash, JSON.stringify(s.event), s.sig]));
    });
    report(`${clients} terminals at once, one event per call`, concurrent.rate, `the same ${clients} bare`, bare.rate, 'events/s');
    report(`  p99 latency of a call (ms)`, concurrent.p99, `bare p99`, bare.p99, 'ms');
  } finally {
    await server.close();
  }
}

/** `clients` loops at once, each running `perClient` calls in turn: aggregate calls/s and the p99 latency (ms). */
async function concurrently(clients: number, perClient: number, call: (client: number, i: number) => Promise<unknown>): Promise<{ rate: number; p99: number }> {
  const latencies: number[] = [];
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = 0; i < perClient; i++) {
        const t0 = process.hrtime.bigint();
        await call(c, i);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  return { rate: latencies.length / seconds, p99: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] };
}
