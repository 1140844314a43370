// verifyWebhookMessage on malformed requests: whatever a sender leaves out or garbles, the answer is a
// WebhookVerificationError with its code — never a TypeError, and never a pass (a NaN timestamp compares false
// with any tolerance, so a check written as `> tolerance` would let it through).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPair, signMessage, toBase64, utf8 } from '@pharmatrace/ledger-core';
import { verifyWebhookMessage, WebhookVerificationCode, WebhookVerificationError } from './webhook-verification';

const ledger = generateKeyPair();
const NOW = 1_764_460_800;
const body = '{"type":"recall.initiated","data":{"recall":"recall:abc","revision":1}}';
const id = 'msg_recall:abc_1_pharmacy-7';
const signed = (ts: string) => `v1a,${toBase64(signMessage(utf8(`${id}.${ts}.${body}`), ledger.secretKey))}`;
const good = { 'webhook-id': id, 'webhook-timestamp': String(NOW), 'webhook-signature': signed(String(NOW)) };

function refusedWith(code: WebhookVerificationCode, headers: Record<string, string | string[] | undefined>): void {
  assert.throws(
    () => verifyWebhookMessage({ headers, body, ledgerPublicKey: ledger.publicKey, now: NOW * 1000 }),
    (e: unknown) => e instanceof WebhookVerificationError && e.code === code,
    JSON.stringify(headers),
  );
}

describe('verifyWebhookMessage refuses malformed requests with a code', () => {
  it('verifies the well-formed request these cases start from', () => {
    assert.equal(verifyWebhookMessage({ headers: good, body, ledgerPublicKey: ledger.publicKey, now: NOW * 1000 }).id, id);
  });

  it('a missing, empty or absent-valued webhook-timestamp: WEBHOOK_HEADERS_MISSING (not NaN slipping past the tolerance)', () => {
    const { 'webhook-timestamp': _, ...noTimestamp } = good;
    refusedWith('WEBHOOK_HEADERS_MISSING', noTimestamp);
    refusedWith('WEBHOOK_HEADERS_MISSING', { ...good, 'webhook-timestamp': '' });
    refusedWith('WEBHOOK_HEADERS_MISSING', { ...good, 'webhook-timestamp': undefined });
    refusedWith('WEBHOOK_HEADERS_MISSING', { ...good, 'webhook-timestamp': [] });
  });

  it('a non-numeric webhook-timestamp, even one signed as it is: WEBHOOK_TIMESTAMP_INVALID', () => {
    for (const ts of ['NaN', 'abc', '1.5e9', `${NOW}.5`, ` ${NOW}`, '-1', 'Infinity', '0x6929f300']) {
      refusedWith('WEBHOOK_TIMESTAMP_INVALID', { ...good, 'webhook-timestamp': ts, 'webhook-signature': signed(ts) });
    }
  });

  it('a missing or empty webhook-signature: WEBHOOK_HEADERS_MISSING, not a TypeError', () => {
    const { 'webhook-signature': _, ...noSignature } = good;
    refusedWith('WEBHOOK_HEADERS_MISSING', noSignature);
    refusedWith('WEBHOOK_HEADERS_MISSING', { ...good, 'webhook-signature': '' });
    refusedWith('WEBHOOK_HEADERS_MISSING', { ...good, 'webhook-signature': undefined });
  });

  it('a webhook-signature without a usable entry: WEBHOOK_SIGNATURE_INVALID', () => {
    for (const sig of ['v1a', 'v1a,', ' ', ',,,', 'v1a,%%%']) refusedWith('WEBHOOK_SIGNATURE_INVALID', { ...good, 'webhook-signature': sig });
  });

  it('a missing webhook-id: WEBHOOK_HEADERS_MISSING', () => {
    const { 'webhook-id': _, ...noId } = good;
    refusedWith('WEBHOOK_HEADERS_MISSING', noId);
  });
});
