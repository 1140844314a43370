// Bounded work: how fast heavy queries are refused, /health while they arrive, and a refused bulk
// commissioning (one repeated serial in its last event) beside the same bulk accepted — each beside its
// baseline measured in the same run.
import { generateSerials } from '@pharmatrace/gs1';
import { commissionPacks, registerProduct } from '@pharmatrace/sdk';
import { startTestServer } from '../test/support/test-server';
import { createTestNetwork } from '../test/support/test-network';
import { newGtin, productAndBatch, productSpec } from '../test/support/custody-fixture';
import { opsPerSecond, report, reportTime } from './measure';

const aliases = (n: number, field: string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

async function seconds(fn: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

export async function limitsBench(): Promise<void> {
  const server = await startTestServer(undefined, { RATE_LIMIT_PUBLIC_PER_CLIENT: '1000000', RATE_LIMIT_MUTATIONS_PER_PARTICIPANT: '1000000' });
  try {
    const net = await createTestNetwork(server);
    const maker = await net.join('manufacturer', 'bench-limits');
    const { token } = await maker.signIn();
    const health = () => fetch(`${server.url}/health`).then((r) => r.text());
    const heavy = [
      ['1,000 × temperatureHistory(first: 10000), signed in', aliases(1000, 'temperatureHistory(subject: "sgtin:00000000000000.X", first: 10000) { readings { celsius } }'), token],
      ['50 × temperatureHistory(first: 10000), signed in', aliases(50, 'temperatureHistory(subject: "sgtin:00000000000000.X", first: 10000) { readings { celsius } }'), token],
      ['1,000 × blocks(first: 500), anonymous', aliases(1000, 'blocks(first: 500) { kid headerHash }'), null],
    ] as const;
    const idleHealth = await opsPerSecond(200, health);
    for (const [name, query, auth] of heavy) {
      const body = JSON.stringify({ query });
      const refuse = () =>
        fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) }, body }).then((r) => r.text());
      report(`refuse ${name}`, await opsPerSecond(50, refuse), '/health', idleHealth, 'req/s');
    }
    // /health while the heaviest refused query arrives continuously from a second caller.
    let flooding = true;
    const flood = (async () => {
      const body = JSON.stringify({ query: heavy[0][1] });
      while (flooding) await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body }).then((r) => r.text());
    })();
    const busyHealth = await opsPerSecond(200, health);
    flooding = false;
    await flood;
    report('/health while heavy queries are refused', busyHealth, '/health idle', idleHealth, 'req/s');

    // A 200,000-serial commissioning: accepted, and refused for one repeated serial in its last event.
    const count = 200_000;
    const accepted = await productAndBatch(maker, count);
    const acceptedSeconds = await seconds(() => commissionPacks(maker, accepted.batch, count));
    const refused = await productAndBatch(maker, count);
    const serials = generateSerials(count);
    serials[count - 1] = serials[10];
    // Another writer's event while the refused bulk is being checked, beside the same event alone.
    const otherWriter = await net.join('manufacturer', 'bench-other-writer');
    const idleWrite = await seconds(() => registerProduct(otherWriter, productSpec(newGtin())));
    let refusedSeconds = 0;
    let concurrentWrite = 0;
    await Promise.all([
      seconds(() => commissionPacks(maker, refused.batch, serials).catch(() => undefined)).then((s) => (refusedSeconds = s)),
      new Promise((r) => setTimeout(r, 200)).then(() => seconds(() => registerProduct(otherWriter, productSpec(newGtin()))).then((s) => (concurrentWrite = s))),
    ]);
    reportTime('refused 200k commissioning (dup in last event)', refusedSeconds, 'the same size accepted', acceptedSeconds);
    reportTime('another writer during that refusal', concurrentWrite, 'the same write alone', idleWrite);
  } finally {
    await server.close();
  }
}
