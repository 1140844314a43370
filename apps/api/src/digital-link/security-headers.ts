// Headers on every resolver answer: nothing from another host, no sniffing, no referrer, never cached
// (a verdict is of the moment), and caches keyed on Accept (HTML and JSON share a URL).
import { randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { contentSecurityPolicy } from './page/layout';

/** A fresh nonce for one response's inline style and script. */
export const newNonce = (): string => randomBytes(16).toString('base64url');

export function securityHeaders(reply: FastifyReply, nonce: string): FastifyReply {
  return reply
    .header('content-security-policy', contentSecurityPolicy(nonce))
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-store')
    .header('vary', 'Accept');
}
