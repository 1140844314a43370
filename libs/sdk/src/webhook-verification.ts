// Receiver side of the recall webhooks: checks a request against the Standard Webhooks spec's asymmetric
// scheme `v1a` (Ed25519 over `${webhook-id}.${webhook-timestamp}.${body}`) with the ledger's public key, and
// returns the parsed payload. Pure and browser-safe (noble through @pharmatrace/ledger-core): no clock, no
// network. The `standardwebhooks` npm package verifies only `v1` (HMAC-SHA256), hence this function.
import { concatBytes, fromBase64, nobleVerifier, utf8 } from '@pharmatrace/ledger-core';
import type { RecallWebhookPayload } from '@pharmatrace/notifications/recall-webhook-payload';

export type { RecallWebhookPayload, RecallNotificationData, NotificationReason } from '@pharmatrace/notifications/recall-webhook-payload';

/** Why a webhook was refused; no other error is thrown. */
export type WebhookVerificationCode =
  | 'WEBHOOK_HEADERS_MISSING'
  | 'WEBHOOK_TIMESTAMP_INVALID'
  | 'WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE'
  | 'WEBHOOK_KEY_INVALID'
  | 'WEBHOOK_SIGNATURE_INVALID'
  | 'WEBHOOK_PAYLOAD_INVALID';

export class WebhookVerificationError extends Error {
  constructor(
    readonly code: WebhookVerificationCode,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookVerificationError';
  }
}

/**
 * A ledger public key: the 32 raw bytes, or text as published by `/.well-known/pharmatrace-ledger` and the
 * `ledgerKeys` query (base64url), standard base64, or a Standard Webhooks `whpk_<base64>` key.
 */
export type LedgerPublicKeyInput = Uint8Array | string;

export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export interface VerifyWebhookInput {
  /** The request headers (names in any case; a fetch Headers object, or Node's IncomingHttpHeaders). */
  headers: WebhookHeaders;
  /** The raw body exactly as received: parse it only after verification (re-serialised JSON will not verify). */
  body: string | Uint8Array;
  /** The ledger's public key, or all of its published keys (any one verifying is enough: keys rotate). */
  ledgerPublicKey: LedgerPublicKeyInput | readonly LedgerPublicKeyInput[];
  /** How far `webhook-timestamp` may be from `now`, either way, in seconds (Standard Webhooks suggests 5 minutes). */
  toleranceSeconds?: number;
  /** The receiver's current time (Date or ms since the epoch); defaults to Date.now(). */
  now?: Date | number;
}

export interface VerifiedWebhook<T> {
  /** `webhook-id`: the same on every retry of one message; deduplicate on it. */
  id: string;
  /** `webhook-timestamp` in unix seconds. */
  timestamp: number;
  payload: T;
}

function header(headers: WebhookHeaders, name: string): string | null {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

function decodeKey(key: LedgerPublicKeyInput): Uint8Array {
  if (key instanceof Uint8Array) return key;
  const text = (key.startsWith('whpk_') ? key.slice(5) : key).replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  try {
    return fromBase64(text + '='.repeat((4 - (text.length % 4)) % 4));
  } catch {
    throw new WebhookVerificationError('WEBHOOK_KEY_INVALID', 'The ledger public key is not base64 or base64url text of 32 bytes; take it from /.well-known/pharmatrace-ledger.');
  }
}

/** Verifies and returns the id, timestamp and parsed payload. Throws WebhookVerificationError (see its codes). */
export function verifyWebhookMessage<T = RecallWebhookPayload>(input: VerifyWebhookInput): VerifiedWebhook<T> {
  const id = header(input.headers, 'webhook-id');
  const timestampText = header(input.headers, 'webhook-timestamp');
  const signatures = header(input.headers, 'webhook-signature');
  if (!id || !timestampText || !signatures) {
    throw new WebhookVerificationError('WEBHOOK_HEADERS_MISSING', 'A Standard Webhooks request needs the webhook-id, webhook-timestamp and webhook-signature headers.');
  }
  if (!/^\d{1,12}$/.test(timestampText)) throw new WebhookVerificationError('WEBHOOK_TIMESTAMP_INVALID', `webhook-timestamp must be unix seconds, got "${timestampText.slice(0, 40)}".`);
  const timestamp = Number(timestampText);
  const now = Math.floor((input.now === undefined ? Date.now() : typeof input.now === 'number' ? input.now : input.now.getTime()) / 1000);
  const tolerance = input.toleranceSeconds ?? 300;
  if (Math.abs(now - timestamp) > tolerance) {
    throw new WebhookVerificationError(
      'WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE',
      `webhook-timestamp is ${now - timestamp} s from this receiver's clock (tolerance ±${tolerance} s): a replay, or a clock to fix.`,
    );
  }
  const keys = (Array.isArray(input.ledgerPublicKey) ? input.ledgerPublicKey : [input.ledgerPublicKey]) as LedgerPublicKeyInput[];
  const publicKeys = keys.map(decodeKey);
  if (publicKeys.length === 0 || publicKeys.some((k) => k.length !== 32)) {
    throw new WebhookVerificationError('WEBHOOK_KEY_INVALID', 'A ledger public key is 32 bytes (Ed25519); take it from /.well-known/pharmatrace-ledger.');
  }
  const bodyBytes = typeof input.body === 'string' ? utf8(input.body) : input.body;
  const content = concatBytes(utf8(`${id}.${timestampText}.`), bodyBytes);
  // The header may carry several space-separated signatures (key rotation); other versions (v1: HMAC) are skipped.
  const valid = signatures.split(' ').some((entry) => {
    const [version, value] = entry.split(',', 2);
    if (version !== 'v1a' || !value) return false;
    let signature: Uint8Array;
    try {
      signature = fromBase64(value);
    } catch {
      return false;
    }
    return publicKeys.some((k) => nobleVerifier.verify(signature, content, k));
  });
  if (!valid) throw new WebhookVerificationError('WEBHOOK_SIGNATURE_INVALID', 'No v1a signature in webhook-signature verifies with the ledger key over this id, timestamp and body.');
  const text = typeof input.body === 'string' ? input.body : new TextDecoder().decode(input.body);
  try {
    return { id, timestamp, payload: JSON.parse(text) as T };
  } catch {
    throw new WebhookVerificationError('WEBHOOK_PAYLOAD_INVALID', 'The webhook body is signed but is not JSON.');
  }
}

/** verifyWebhookMessage, returning only the payload. Throws WebhookVerificationError. */
export function verifyWebhook<T = RecallWebhookPayload>(input: VerifyWebhookInput): T {
  return verifyWebhookMessage<T>(input).payload;
}
