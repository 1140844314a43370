// Standard Webhooks v1a as the worker signs it and as a receiver checks it: with the SDK's verifyWebhook
// (noble) and with nothing but node:crypto, as docs/webhooks.md shows.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPair, toBase64, toBase64Url } from '@pharmatrace/ledger-core';
import { verifyWebhook, verifyWebhookMessage, WebhookVerificationCode, WebhookVerificationError } from '@pharmatrace/sdk';
import { signWebhook, webhookMessageId } from './webhook-signature';

const ledger = generateKeyPair();
const stranger = generateKeyPair();
const NOW = 1_764_460_800; // 2025-11-30T00:00:00Z, in seconds
const body = JSON.stringify({ type: 'recall.initiated', timestamp: '2025-11-30T00:00:00.000Z', data: { recall: 'recall:abc12345', revision: 1 } });
const id = webhookMessageId('recall:abc12345', 1, 'pharmacy-7');

function refusedWith(code: WebhookVerificationCode, fn: () => unknown): void {
  assert.throws(fn, (e: unknown) => e instanceof WebhookVerificationError && e.code === code);
}

describe('webhook signatures (Standard Webhooks v1a, Ed25519 by the ledger key)', () => {
  const headers = signWebhook(id, NOW, body, ledger.secretKey);

  it('signs with the headers the spec names, and the SDK verifies with the published (base64url) ledger key', () => {
    assert.equal(headers['webhook-id'], 'msg_recall:abc12345_1_pharmacy-7');
    assert.equal(headers['webhook-timestamp'], String(NOW));
    assert.match(headers['webhook-signature'], /^v1a,[A-Za-z0-9+/]{86}==$/);
    const verified = verifyWebhookMessage({ headers, body, ledgerPublicKey: toBase64Url(ledger.publicKey), now: NOW * 1000 });
    assert.deepEqual([verified.id, verified.timestamp, verified.payload.data.revision], [id, NOW, 1]);
  });

  it('accepts the key as bytes, standard base64, or whpk_; headers in any case; the body as bytes; several keys and signatures', () => {
    const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    for (const ledgerPublicKey of [ledger.publicKey, toBase64(ledger.publicKey), `whpk_${toBase64(ledger.publicKey)}`, [stranger.publicKey, ledger.publicKey]]) {
      assert.equal(verifyWebhook({ headers: upper, body: new TextEncoder().encode(body), ledgerPublicKey, now: new Date(NOW * 1000) }).type, 'recall.initiated');
    }
    const rotated = { ...headers, 'webhook-signature': `v1,aGVsbG8= ${signWebhook(id, NOW, body, stranger.secretKey)['webhook-signature']} ${headers['webhook-signature']}` };
    assert.equal(verifyWebhook({ headers: new Headers(rotated), body, ledgerPublicKey: ledger.publicKey, now: NOW * 1000 }).data.recall, 'recall:abc12345');
  });

  it('refuses a tampered body, id or timestamp', () => {
    refusedWith('WEBHOOK_SIGNATURE_INVALID', () => verifyWebhook({ headers, body: body.replace('"revision":1', '"revision":2'), ledgerPublicKey: ledger.publicKey, now: NOW * 1000 }));
    refusedWith('WEBHOOK_SIGNATURE_INVALID', () => verifyWebhook({ headers, body: `${body} `, ledgerPublicKey: ledger.publicKey, now: NOW * 1000 }));
    refusedWith('WEBHOOK_SIGNATURE_INVALID', () =>
      verifyWebhook({ headers: { ...headers, 'webhook-id': 'msg_other' }, body, ledgerPublicKey: ledger.publicKey, now: NOW * 1000 }),
    );
    refusedWith('WEBHOOK_SIGNATURE_INVALID', () =>
      verifyWebhook({ headers: { ...headers, 'webhook-timestamp': String(NOW + 1) }, body, ledgerPublicKey: ledger.publicKey, now: NOW * 1000 }),
    );
  });

  it('refuses a stale or future timestamp beyond the tolerance (default 5 minutes), and a malformed one', () => {
    refusedWith('WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE', () => verifyWebhook({ headers, body, ledgerPublicKey: ledger.publicKey, now: (NOW + 301) * 1000 }));
    refusedWith('WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE', () => verifyWebhook({ headers, body, ledgerPublicKey: ledger.publicKey, now: (NOW - 301) * 1000 }));
    assert.ok(verifyWebhook({ headers, body, ledgerPublicKey: ledger.publicKey, now: (NOW + 300) * 1000 }));
    refusedWith('WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE', () => verifyWebhook({ headers, body, ledgerPublicKey: ledger.publicKey, now: (NOW + 31) * 1000, toleranceSeconds: 30 }));
    refusedWith('WEBHOOK_TIMESTAMP_INVALID', () => verifyWebhook({ headers: { ...headers, 'webhook-timestamp': '2025-11-30T00:00:00Z' }, body, ledgerPublicKey: ledger.publicKey }));
  });

  it('refuses a signature by another key (a participant key, or an HMAC v1 signature only), and missing headers', () => {
    refusedWith('WEBHOOK_SIGNATURE_INVALID', () => verifyWebhook({ headers, body, ledgerPublicKey: stranger.publicKey, now: NOW * 1000 }));
    refusedWith('WEBHOOK_SIGNATURE_INVALID', () => verifyWebhook({ headers: { ...headers, 'webhook-signature': 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=' }, body, ledgerPublicKey: ledger.publicKey, now: NOW * 1000 }));
    refusedWith('WEBHOOK_SIGNATURE_INVALID', () => verifyWebhook({ headers: { ...headers, 'webhook-signature': 'v1a,not base64!' }, body, ledgerPublicKey: ledger.publicKey, now: NOW * 1000 }));
    refusedWith('WEBHOOK_HEADERS_MISSING', () => verifyWebhook({ headers: { 'webhook-id': id }, body, ledgerPublicKey: ledger.publicKey }));
    refusedWith('WEBHOOK_KEY_INVALID', () => verifyWebhook({ headers, body, ledgerPublicKey: 'AAAA', now: NOW * 1000 }));
  });

  it('verifies with plain node:crypto too (the docs/webhooks.md example): same bytes, same verdict', () => {
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(ledger.publicKey)]);
    const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    const signature = Buffer.from(headers['webhook-signature'].slice('v1a,'.length), 'base64');
    const content = Buffer.from(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`);
    assert.equal(verify(null, content, key, signature), true);
    assert.equal(verify(null, Buffer.from(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}x`), key, signature), false);
  });

  it('the node:crypto example in docs/webhooks.md, run as printed: verifies a good request, refuses missing or non-numeric headers with false, never throws', () => {
    const doc = readFileSync(join(__dirname, '../../../../docs/webhooks.md'), 'utf8');
    const code = /```js\n([\s\S]*?verifyPharmaTraceWebhook[\s\S]*?)```/.exec(doc)?.[1];
    assert.ok(code, 'docs/webhooks.md has the node:crypto example');
    const verifyPharmaTraceWebhook = new Function('require', 'ledgerPublicKeyBase64url', `${code}\nreturn verifyPharmaTraceWebhook;`)(
      require,
      toBase64Url(ledger.publicKey),
    ) as (headers: Record<string, string | undefined>, rawBody: Buffer) => boolean;
    const now = Math.floor(Date.now() / 1000);
    const fresh = signWebhook(id, now, body, ledger.secretKey);
    const raw = Buffer.from(body);
    assert.equal(verifyPharmaTraceWebhook(fresh, raw), true);
    assert.equal(verifyPharmaTraceWebhook(fresh, Buffer.from(`${body} `)), false);
    const { 'webhook-timestamp': _t, ...noTimestamp } = fresh;
    const { 'webhook-signature': _s, ...noSignature } = fresh;
    const { 'webhook-id': _i, ...noId } = fresh;
    const cases: Array<[string, Record<string, string | undefined>]> = [
      ['no webhook-timestamp', noTimestamp],
      ['a non-numeric webhook-timestamp, signed as it is', { ...fresh, 'webhook-timestamp': 'soon', 'webhook-signature': signWebhook(id, 'soon' as unknown as number, body, ledger.secretKey)['webhook-signature'] }],
      ['an empty webhook-timestamp', { ...fresh, 'webhook-timestamp': '' }],
      ['no webhook-signature', noSignature],
      ['no webhook-id', noId],
      ['a signature entry without a value', { ...fresh, 'webhook-signature': 'v1a' }],
      ['a stale timestamp', { ...signWebhook(id, now - 301, body, ledger.secretKey) }],
    ];
    for (const [what, headers] of cases) {
      let verdict: unknown;
      assert.doesNotThrow(() => (verdict = verifyPharmaTraceWebhook(headers, raw)), what);
      assert.equal(verdict, false, what);
    }
  });
});
