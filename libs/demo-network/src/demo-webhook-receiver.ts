// The demo pharmacy's webhook receiver: what Central Square's own system would run to hear of recalls. It
// listens on 127.0.0.1, checks every request against the ledger's published keys (Standard Webhooks v1a,
// docs/webhooks.md) before reading it, answers 204 to a verified one (deduplicated by webhook-id, the same
// on every retry), 401 to anything else, and keeps what it received for the demo's log and its test.
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { LedgerClient, RecallWebhookPayload, verifyWebhookMessage, WebhookVerificationError } from '@pharmatrace/sdk';

export interface ReceivedRecallWebhook {
  webhookId: string;
  payload: RecallWebhookPayload;
  /** How many times this message arrived (retries of a delivery whose answer was lost count here). */
  arrivals: number;
}

export interface DemoWebhookReceiver {
  url: string;
  /** Verified messages, first arrival first. */
  received(): ReceivedRecallWebhook[];
  /** Requests refused (bad or missing signature), with the verification code. */
  refused(): string[];
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 256 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) req.destroy(new Error('body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Starts the receiver. `ledgerUrl` is the PharmaTrace server whose ledger keys sign the webhooks (read
 * once per request, so a rotated key is picked up); `onMessage` is told of each first arrival.
 */
export async function startDemoWebhookReceiver(ledgerUrl: string, onMessage: (m: ReceivedRecallWebhook) => void = () => undefined): Promise<DemoWebhookReceiver> {
  const ledger = new LedgerClient(ledgerUrl);
  const byId = new Map<string, ReceivedRecallWebhook>();
  const refused: string[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'POST') {
        res.writeHead(405, { allow: 'POST' }).end();
        return;
      }
      const body = await readBody(req);
      const keys = (await ledger.ledgerKeys()).map((k) => k.publicKey);
      const verified = verifyWebhookMessage<RecallWebhookPayload>({ headers: req.headers, body, ledgerPublicKey: keys });
      const seen = byId.get(verified.id);
      if (seen) seen.arrivals += 1;
      else {
        const message = { webhookId: verified.id, payload: verified.payload, arrivals: 1 };
        byId.set(verified.id, message);
        onMessage(message);
      }
      res.writeHead(204).end();
    })().catch((e: unknown) => {
      refused.push(e instanceof WebhookVerificationError ? e.code : String(e));
      if (!res.headersSent) res.writeHead(e instanceof WebhookVerificationError ? 401 : 500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/pharmatrace/recalls`,
    received: () => [...byId.values()],
    refused: () => [...refused],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
