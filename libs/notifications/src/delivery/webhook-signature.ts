// Standard Webhooks signing (https://www.standardwebhooks.com, spec "Signature scheme"), asymmetric variant
// `v1a`: an Ed25519 signature over `${webhook-id}.${webhook-timestamp}.${body}` by the ledger's own key, the
// one that signs block headers. A receiver verifies with the ledger's published public key (libs/sdk
// verifyWebhook, docs/webhooks.md); no shared secret is ever handed out.
import { signMessage, toBase64, utf8 } from '@pharmatrace/ledger-core';

/** The headers a webhook request carries besides content-type. */
export type StandardWebhookHeaders = {
  /** Stable per message: the same on every retry, so the receiver can deduplicate. */
  'webhook-id': string;
  /** Unix time of this attempt, in whole seconds. */
  'webhook-timestamp': string;
  /** `v1a,<standard base64 of the 64-byte Ed25519 signature>`. */
  'webhook-signature': string;
};

/** What is signed: the message id, the timestamp and the exact body bytes, joined by full stops. */
export function signedContent(msgId: string, timestampSeconds: number | string, body: string): Uint8Array {
  return utf8(`${msgId}.${timestampSeconds}.${body}`);
}

/** Signs one delivery attempt of `body` with the ledger's Ed25519 secret key (32 bytes). */
export function signWebhook(msgId: string, timestampSeconds: number, body: string, secretKey: Uint8Array): StandardWebhookHeaders {
  const signature = signMessage(signedContent(msgId, timestampSeconds, body), secretKey);
  return { 'webhook-id': msgId, 'webhook-timestamp': String(timestampSeconds), 'webhook-signature': `v1a,${toBase64(signature)}` };
}

/**
 * The `webhook-id` of a notification: `msg_<recall>_<revision>_<participant>` with the recall's and the
 * participant's ids as they are (the recall id keeps its `recall:` prefix). One per participant and revision.
 */
export function webhookMessageId(recallId: string, revision: number, participantId: string): string {
  return `msg_${recallId}_${revision}_${participantId}`;
}
