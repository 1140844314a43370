// The server's front page and its GraphQL explorer work on a closed network: GET / says what this server
// is and where to go (HTML for browsers, JSON for programs), GET /graphql in a browser gets the local
// explorer, and neither references any other host. The explorer runs a query in real Chromium.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, TestServer } from './support/test-server';
import { browserUnavailable, launchChromium } from './support/browser';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const packageVersion = (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;

/** Every absolute http(s) URL in `text` whose host is not `ownHost`. */
function foreignUrls(text: string, ownHost: string): string[] {
  return [...text.matchAll(/https?:\/\/[^\s"'<>()`]+/gi)].map((m) => m[0]).filter((url) => new URL(url).host !== ownHost);
}

/** The nonce of the first `<tag nonce="…">` in the page. */
function nonceOf(page: string, tag: 'style' | 'script'): string {
  const match = new RegExp(`<${tag} nonce="([^"]+)"`).exec(page);
  assert.ok(match, `the page has a <${tag} nonce>`);
  return match[1];
}

describe('front page and local GraphQL explorer', () => {
  let server: TestServer;
  let host: string;

  before(async () => {
    server = await startTestServer();
    host = new URL(server.url).host;
  });
  after(async () => server?.close());

  it('GET / in a browser: a self-contained page saying what the server is and where to go', async () => {
    const res = await fetch(`${server.url}/`, { headers: { accept: BROWSER_ACCEPT } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    const page = await res.text();
    assert.match(page, /<h1>PharmaTrace<\/h1>/);
    assert.ok(page.includes(`Server version ${packageVersion}`));
    for (const href of ['/graphql', '/health', '/.well-known/pharmatrace-ledger']) assert.ok(page.includes(`href="${href}"`), `links ${href}`);
    assert.ok(page.includes('/01/{gtin}/21/{serial}'), 'names the pack verification link');
    assert.deepEqual(foreignUrls(page, host), []);
    assert.doesNotMatch(page, /https?:\/\//, 'every link is relative to this server');
    const nonce = nonceOf(page, 'style');
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.ok(csp.includes(`style-src 'nonce-${nonce}'`));
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    assert.match(res.headers.get('vary') ?? '', /Accept/);
    const again = await (await fetch(`${server.url}/`, { headers: { accept: BROWSER_ACCEPT } })).text();
    assert.notEqual(nonceOf(again, 'style'), nonce, 'a fresh nonce per response');
  });

  it('GET / for programs: {name, version, links} as JSON (Accept or ?format=json)', async () => {
    const res = await fetch(`${server.url}/`, { headers: { accept: 'application/json' } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    const body = (await res.json()) as { name: string; version: string; links: Array<{ rel: string; href: string; method: string; title: string }> };
    assert.equal(body.name, 'PharmaTrace');
    assert.equal(body.version, packageVersion);
    const byRel = new Map(body.links.map((link) => [link.rel, link]));
    assert.equal(byRel.get('graphql')?.href, '/graphql');
    assert.equal(byRel.get('health')?.href, '/health');
    assert.equal(byRel.get('ledgerKey')?.href, '/.well-known/pharmatrace-ledger');
    assert.equal(byRel.get('packVerification')?.href, '/01/{gtin}/21/{serial}');
    for (const link of body.links) assert.ok(link.title.length > 0 && (link.method === 'GET' || link.method === 'POST'));
    // Every listed fixed path answers on this server.
    for (const rel of ['health', 'ledgerKey']) {
      const target = await fetch(`${server.url}${byRel.get(rel)!.href}`);
      assert.equal(target.status, 200, `${rel} answers`);
      await target.arrayBuffer();
    }
    const viaQuery = (await (await fetch(`${server.url}/?format=json`)).json()) as { name: string };
    assert.equal(viaQuery.name, 'PharmaTrace');
  });

  it('GET /graphql in a browser: the local explorer, with a nonce CSP and no other host', async () => {
    const res = await fetch(`${server.url}/graphql`, { headers: { accept: BROWSER_ACCEPT } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    const page = await res.text();
    assert.deepEqual(foreignUrls(page, host), []);
    assert.doesNotMatch(page, /unpkg|cdn|apollographql\.com|jsdelivr/i);
    const nonce = nonceOf(page, 'script');
    assert.equal(nonceOf(page, 'style'), nonce);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page);
    assert.ok(csp, 'the page carries its CSP');
    const policy = csp[1].replace(/&#39;/g, "'");
    assert.match(policy, /default-src 'none'/);
    assert.ok(policy.includes(`script-src 'nonce-${nonce}'`));
    assert.match(policy, /connect-src 'self'/);
    for (const id of ['query', 'variables', 'authorization', 'run', 'result']) assert.ok(page.includes(`id="${id}"`), `has #${id}`);
    const again = await (await fetch(`${server.url}/graphql`, { headers: { accept: BROWSER_ACCEPT } })).text();
    assert.notEqual(nonceOf(again, 'script'), nonce, 'a fresh nonce per response');
  });

  it('POST /graphql still answers GraphQL', async () => {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { data: { __typename: 'Query' } });
  });

  const skip = browserUnavailable();
  it('the explorer runs a query in Chromium, with nothing requested from another host', { skip: skip ?? false }, async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const requested: string[] = [];
      const violations: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      page.on('console', (message) => {
        if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
      });
      await page.goto(`${server.url}/graphql`);
      await page.fill('#query', '{ __typename ledgerKeys { kid } }');
      await page.fill('#variables', '{}');
      await page.click('#run');
      await page.waitForFunction(() => /HTTP \d+/.test(document.getElementById('status')?.textContent ?? ''));
      assert.equal(await page.textContent('#status'), 'HTTP 200');
      const result = JSON.parse((await page.textContent('#result')) ?? '') as { data: { __typename: string; ledgerKeys: Array<{ kid: string }> } };
      assert.equal(result.data.__typename, 'Query');
      assert.ok(Array.isArray(result.data.ledgerKeys));
      assert.deepEqual(requested.filter((url) => new URL(url).host !== host), []);
      assert.deepEqual(violations, []);
    } finally {
      await browser.close();
    }
  });
});
