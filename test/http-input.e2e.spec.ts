// What a client gets for requests that are its own mistake: a body that is not JSON, no content type,
// a JSON null or string, a batched array, a browser's plain GET, an object repeating a member name.
// Each is BAD_REQUEST (or UNSUPPORTED_MEDIA_TYPE) with a sentence, stores nothing and logs no ERROR.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Logger } from '@nestjs/common';
import { startTestServer, TestServer } from './support/test-server';
import { createTestNetwork } from './support/test-network';

interface Answer {
  status: number;
  code: string | undefined;
  message: string | undefined;
}

async function send(url: string, init: RequestInit): Promise<Answer> {
  const res = await fetch(`${url}/graphql`, init);
  const text = await res.text();
  let body: { errors?: Array<{ message: string; extensions?: { code?: string } }>; error?: { code?: string; message?: string } } = {};
  try {
    body = JSON.parse(text);
  } catch {
    assert.fail(`the answer must be JSON, got ${res.status}: ${text.slice(0, 200)}`);
  }
  const err = body.errors?.[0];
  return { status: res.status, code: err?.extensions?.code ?? body.error?.code, message: err?.message ?? body.error?.message };
}

describe('HTTP input: client mistakes are BAD_REQUEST with a sentence, never INTERNAL', () => {
  let server: TestServer;
  let token: string;
  const errors: string[] = [];
  const originalError = Logger.prototype.error;

  before(async () => {
    server = await startTestServer();
    const network = await createTestNetwork(server);
    token = (await network.regulator.signIn()).token;
    Logger.prototype.error = function (this: Logger, message: unknown, ...rest: unknown[]) {
      errors.push(String(message));
      return originalError.call(this, message, ...rest);
    } as typeof Logger.prototype.error;
  });
  after(async () => {
    Logger.prototype.error = originalError;
    await server.close();
  });

  const cases: Array<[string, RequestInit, string]> = [
    ['a text/plain body', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"query":"{ latestBlock { height } }"}' }, 'UNSUPPORTED_MEDIA_TYPE'],
    ['a form body', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'query=%7B%7D' }, 'UNSUPPORTED_MEDIA_TYPE'],
    ['a multipart body', { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: '--x--' }, 'UNSUPPORTED_MEDIA_TYPE'],
    ['no content type', { method: 'POST', body: new Uint8Array(Buffer.from('{"query":"{ latestBlock { height } }"}')) }, 'UNSUPPORTED_MEDIA_TYPE'],
    ['a JSON null body', { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'null' }, 'BAD_REQUEST'],
    ['a JSON string body', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '"{ latestBlock { height } }"' }, 'BAD_REQUEST'],
    ['a JSON number body', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '42' }, 'BAD_REQUEST'],
    ['an empty JSON body', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '' }, 'BAD_REQUEST'],
    ['malformed JSON', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' }, 'BAD_REQUEST'],
    ['a batched array', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[{"query":"{ latestBlock { height } }"},{"query":"{ latestBlock { height } }"}]' }, 'BAD_REQUEST'],
    ['a plain GET (what a browser sends)', { method: 'GET' }, 'BAD_REQUEST'],
    ['a GET with a mutation', { method: 'GET', headers: { 'apollo-require-preflight': 'true' } }, 'BAD_REQUEST'],
    ['a query that is not a string', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": 7}' }, 'BAD_REQUEST'],
    ['variables that are not an object', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": "{ latestBlock { height } }", "variables": "x"}' }, 'BAD_REQUEST'],
    ['a repeated member name', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": "{ latestBlock { height } }", "query": "{ ledgerKeys { kid } }"}' }, 'BAD_REQUEST'],
    ['a __proto__ member', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": "{ latestBlock { height } }", "__proto__": {"x": 1}}' }, 'BAD_REQUEST'],
  ];

  for (const [what, init, code] of cases) {
    it(`${what}: ${code}, a sentence, no ERROR log`, async () => {
      const before = errors.length;
      const answer = await send(server.url, init);
      assert.equal(answer.code, code, `${what}: ${JSON.stringify(answer)}`);
      assert.ok(answer.status >= 400 && answer.status < 500, `${what}: status ${answer.status}`);
      assert.ok(answer.message && answer.message.length > 10, `${what}: the answer needs a sentence`);
      assert.equal(errors.length, before, `${what} wrote an ERROR log: ${errors.slice(before).join('\n')}`);
    });
  }

  it('an event whose JSON repeats a member name (two readings) is refused and nothing is stored', async () => {
    const count = await server.eventCount();
    const body =
      '{"query":"mutation($i: SignedEventInput!) { submitEvent(input: $i) { seq } }","variables":{"i":{"event":{"type":"coldchain.readings_recorded","id":"x","actor":"a","kid":"k","at":"2026-01-01T00:00:00Z","assets":[],"data":{"v":1,"readings":[],"readings":[1]}},"sig":"AAAA"}}}';
    const answer = await send(server.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
    assert.equal(answer.code, 'BAD_REQUEST');
    assert.match(answer.message ?? '', /readings/);
    assert.equal(await server.eventCount(), count);
  });

  it('a well-formed request still works', async () => {
    const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ ledgerKeys { kid } }"}' });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { data?: { ledgerKeys: unknown[] } };
    assert.ok(Array.isArray(body.data?.ledgerKeys));
  });
});
