// One request's work is bounded: the heavy queries that once took the server down are refused before
// they run, with QUERY_TOO_COSTLY and the budget named, while /health keeps answering; bursts of public
// or mutating requests get HTTP 429, RATE_LIMITED and Retry-After.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PharmaTraceClient } from '@pharmatrace/sdk';
import { startTestServer, TestServer } from './support/test-server';
import { createTestNetwork, TestNetwork } from './support/test-network';

interface Answer {
  status: number;
  headers: Headers;
  data: unknown;
  errors: Array<{ message: string; extensions?: { code?: string; retryAfterSeconds?: number } }>;
  bytes: number;
}

async function post(url: string, query: string, token?: string, variables?: Record<string, unknown>): Promise<Answer> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  const body = JSON.parse(text) as { data?: unknown; errors?: Answer['errors'] };
  return { status: res.status, headers: res.headers, data: body.data ?? null, errors: body.errors ?? [], bytes: text.length };
}

const aliases = (n: number, field: string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

/** Sends `request` and, while it is in flight, asks /health; both answers are returned. */
async function withHealthProbe<T>(url: string, request: () => Promise<T>): Promise<{ answer: T; health: number }> {
  const pending = request();
  const health = (await fetch(`${url}/health`)).status;
  return { answer: await pending, health };
}

describe('bounded work per request', () => {
  let server: TestServer;
  let network: TestNetwork;
  let token: string;

  before(async () => {
    server = await startTestServer();
    network = await createTestNetwork(server);
    const wholesaler = await network.join('wholesaler');
    token = (await wholesaler.signIn()).token;
  });
  after(() => server.close());

  it('1,000 aliases of temperatureHistory(first: 10000) by a signed-in participant: QUERY_TOO_COSTLY, nothing run, /health answers', async () => {
    const { answer, health } = await withHealthProbe(server.url, () =>
      post(server.url, aliases(1000, 'temperatureHistory(subject: "sgtin:00000000000000.X", first: 10000) { readingCount readings { celsius takenAt } }'), token),
    );
    assert.equal(health, 200);
    assert.equal(answer.status, 400);
    assert.equal(answer.data, null, 'nothing may be executed');
    assert.equal(answer.errors[0].extensions?.code, 'QUERY_TOO_COSTLY');
    assert.match(answer.errors[0].message, /limit|tokens/);
  });

  it('50 aliases of the same: QUERY_TOO_COSTLY', async () => {
    const answer = await post(server.url, aliases(50, 'temperatureHistory(subject: "sgtin:00000000000000.X", first: 10000) { readings { celsius } }'), token);
    assert.equal(answer.errors[0].extensions?.code, 'QUERY_TOO_COSTLY');
    assert.match(answer.errors[0].message, /Aliases limit of 20 exceeded, found 50/);
    assert.equal(answer.data, null);
  });

  it('unauthenticated, 1,000 aliases of blocks(first: 500): QUERY_TOO_COSTLY, /health answers', async () => {
    const { answer, health } = await withHealthProbe(server.url, () => post(server.url, aliases(1000, 'blocks(first: 500) { kid headerHash }')));
    assert.equal(health, 200);
    assert.equal(answer.errors[0].extensions?.code, 'QUERY_TOO_COSTLY');
    assert.equal(answer.data, null);
    assert.ok(answer.bytes < 10_000, `the refusal is small, got ${answer.bytes} bytes`);
  });

  it('within the alias cap, the cost budget itself refuses big pages times aliases, naming the budget', async () => {
    const answer = await post(server.url, aliases(15, 'participants(first: 500) { id keys { kid } }'), token);
    assert.equal(answer.errors[0].extensions?.code, 'QUERY_TOO_COSTLY');
    assert.match(answer.errors[0].message, /the budget is 20000 points/);
    assert.equal(answer.data, null);
  });

  it('page sizes in variables count the same as literals', async () => {
    const q = `query($f: Int!) { ${Array.from({ length: 10 }, (_, i) => `b${i}: blocks(first: $f) { kid }`).join(' ')} eventLog(first: $f) { seq } }`;
    const answer = await post(server.url, q, token, { f: 5000 });
    assert.equal(answer.errors[0].extensions?.code, 'QUERY_TOO_COSTLY');
  });

  it('a document nested past the depth limit, or longer than the token limit, is refused before it runs', async () => {
    const deep = await post(server.url, '{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } }');
    assert.equal(deep.errors[0].extensions?.code, 'QUERY_TOO_COSTLY');
    const long = await post(server.url, `{ ${Array.from({ length: 1500 }, () => 'latestBlock { kid }').join(' ')} }`);
    assert.equal(long.errors[0].extensions?.code, 'QUERY_TOO_COSTLY');
    assert.match(long.errors[0].message, /tokens/);
  });

  it('ordinary queries within the budget are answered', async () => {
    const answer = await post(server.url, '{ blocks(first: 100) { kid } latestBlock { kid } me { id } }', token);
    assert.deepEqual(answer.errors, []);
    assert.equal(answer.status, 200);
  });

  it('every list has a page cap: first beyond it is BAD_REQUEST with the cap named', async () => {
    const blocks = await post(server.url, '{ blocks(first: 501) { kid } }');
    assert.equal(blocks.errors[0].extensions?.code, 'BAD_REQUEST');
    const readings = await post(server.url, '{ temperatureHistory(subject: "sgtin:00000000000000.X", first: 1001) { readingCount } }', token);
    assert.equal(readings.errors[0].extensions?.code, 'BAD_REQUEST');
  });
});

describe('rate limits', () => {
  let server: TestServer;
  let network: TestNetwork;

  before(async () => {
    server = await startTestServer(undefined, { RATE_LIMIT_PUBLIC_PER_CLIENT: '25', RATE_LIMIT_PUBLIC_READS_PER_CLIENT: '40', RATE_LIMIT_MUTATIONS_PER_PARTICIPANT: '4', RATE_LIMIT_WINDOW_MS: '60000' });
    network = await createTestNetwork(server);
  });
  after(() => server.close());

  it('a challenge for an unknown participant or key stores nothing, and answers like any other', async () => {
    const fresh = await startTestServer();
    try {
      const count = async () => Number((await fresh.runtime.dataSource.query('SELECT count(*) AS n FROM auth_challenges'))[0].n);
      const before = await count();
      const answer = await post(fresh.url, 'mutation { requestSignInChallenge(participantId: "nobody", kid: "ed25519:none") { nonce expiresAt } }');
      const { requestSignInChallenge } = answer.data as { requestSignInChallenge: { nonce: string; expiresAt: string } };
      assert.ok(requestSignInChallenge.nonce.length > 20);
      assert.equal(await count(), before);
    } finally {
      await fresh.close();
    }
  });

  it('mutations: counted per participant; the fifth within the window gets 429 and another participant is not affected', async () => {
    const pharmacy = await network.join('pharmacy');
    const other = await network.join('pharmacy');
    const tokens = [(await pharmacy.signIn()).token, (await other.signIn()).token];
    const mutate = (token: string) => post(server.url, 'mutation { submitEvent(input: { event: {}, sig: "" }) { seq } }', token);
    for (let i = 0; i < 4; i++) assert.notEqual((await mutate(tokens[0])).status, 429);
    const limited = await mutate(tokens[0]);
    assert.equal(limited.status, 429);
    assert.equal(limited.errors[0].extensions?.code, 'RATE_LIMITED');
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assert.notEqual((await mutate(tokens[1])).status, 429);
  });

  it('public ledger reads have a wider limit of their own: the 41st anonymous latestBlock within the window gets 429', async () => {
    const read = () => post(server.url, '{ latestBlock { kid } }');
    for (let i = 0; i < 40; i++) assert.equal((await read()).status, 200, `read ${i + 1}`);
    const limited = await read();
    assert.equal(limited.status, 429);
    assert.equal(limited.errors[0].extensions?.code, 'RATE_LIMITED');
    assert.match(limited.errors[0].message, /limit is 40 per 60 s/);
  });

  it('queries by a signed-in participant are not counted against the mutation limit', async () => {
    const wholesaler: PharmaTraceClient = await network.join('wholesaler');
    const token = (await wholesaler.signIn()).token;
    for (let i = 0; i < 10; i++) assert.equal((await post(server.url, '{ me { id } }', token)).status, 200);
  });
  it('sign-in challenges: past the limit from one address within the window, 429, RATE_LIMITED and Retry-After', async () => {
    const ask = () => post(server.url, 'mutation { requestSignInChallenge(participantId: "nobody", kid: "ed25519:none") { nonce } }');
    let answer = await ask();
    for (let i = 0; i < 25 && answer.status === 200; i++) answer = await ask();
    assert.equal(answer.status, 429, 'the 26th public request within the window is refused');
    assert.equal(answer.errors[0].extensions?.code, 'RATE_LIMITED');
    const retryAfter = Number(answer.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${answer.headers.get('retry-after')}`);
    assert.match(answer.errors[0].message, /limit is 25 per 60 s/);
    assert.equal(answer.data, null);
  });
});
