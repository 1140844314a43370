import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { frontPage, frontPageHtml, serverVersion } from './front-page';
import { explorerContentSecurityPolicy, explorerHtml } from '../graphql-explorer/explorer-page';

describe('front page and explorer markup', () => {
  it('the version is the repository package.json version', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
    assert.equal(serverVersion(), pkg.version);
    assert.equal(frontPage().version, pkg.version);
  });

  it('every front-page link is a path on this server, and the page names no other host', () => {
    const page = frontPage();
    for (const link of page.links) assert.match(link.href, /^\/[^/]/, `${link.rel} is a local path`);
    const markup = frontPageHtml(page, 'n0nce');
    assert.doesNotMatch(markup, /https?:\/\//);
    assert.match(markup, /<style nonce="n0nce">/);
    assert.doesNotMatch(markup, /<script/, 'the front page needs no script');
  });

  it('the explorer is inline only: nonce on its style and script, a CSP naming no other host', () => {
    const markup = explorerHtml('abc123');
    assert.doesNotMatch(markup, /https?:\/\//);
    assert.match(markup, /<style nonce="abc123">/);
    assert.match(markup, /<script nonce="abc123">/);
    assert.doesNotMatch(markup, /<script[^>]*\bsrc=|<link[^>]*\bhref=/, 'no external script or stylesheet');
    const csp = explorerContentSecurityPolicy('abc123');
    assert.ok(csp.includes("default-src 'none'") && csp.includes("script-src 'nonce-abc123'") && csp.includes("connect-src 'self'"));
  });
});
