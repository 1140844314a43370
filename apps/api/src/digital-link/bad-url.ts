// Fastify's router refuses a path with a broken percent-escape (`/01/…/21/AB%ZZ`) before any route runs.
// For a Digital Link path the patient still gets the resolver's page (or its JSON) saying the code is
// not valid; elsewhere the API's usual JSON error. Nothing is stored either way.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { wantsJson } from './negotiation';
import { malformedLinkPage } from './page/error-page';
import { newNonce, securityHeaders } from './security-headers';

const MESSAGE = "The link's percent-encoding is broken (a “%” not followed by two hexadecimal digits); scan again, or type the GTIN, serial number, lot and expiry printed on the pack.";

/** Fastify `frameworkErrors` handler: a 400 for a URL the router cannot decode, the resolver's page on /01/ paths. */
export function answerBadUrl(error: Error & { code?: string }, req: FastifyRequest, reply: FastifyReply): void {
  const digitalLink = req.url.startsWith('/01/');
  if (error.code !== 'FST_ERR_BAD_URL' || !digitalLink) {
    void reply.code(400).send({ error: { code: 'BAD_REQUEST', message: digitalLink ? MESSAGE : `The request could not be read: ${error.message}` } });
    return;
  }
  const nonce = newNonce();
  securityHeaders(reply, nonce);
  const format = /[?&]format=json(?:&|$)/.test(req.url) ? 'json' : undefined;
  if (wantsJson(req.headers.accept, format)) void reply.code(400).type('application/json; charset=utf-8').send({ error: { code: 'INVALID_SCAN', message: MESSAGE } });
  else void reply.code(400).type('text/html; charset=utf-8').send(malformedLinkPage(nonce, MESSAGE));
}
