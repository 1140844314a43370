// The signed-in caller behind `Authorization: Bearer <session token>`, for GraphQL and the HTTP routes that
// take the same token (labels, EPCIS), and the GraphQL-shaped JSON refusal those routes answer with.
import type { FastifyReply } from 'fastify';
import type { AuthService, Caller } from '@pharmatrace/auth';
import { DomainError, isDomainError } from '@pharmatrace/errors';

/**
 * The session's caller and token. Refuses UNAUTHENTICATED without a bearer token, SESSION_EXPIRED for
 * an unknown or ended session. The scheme is matched as the clients send it: `Bearer `.
 */
export async function authenticateBearer(auth: AuthService, header: string | string[] | undefined): Promise<{ caller: Caller; token: string }> {
  const value = Array.isArray(header) ? header[0] : header;
  const token = value?.startsWith('Bearer ') ? value.slice(7).trim() : null;
  if (!token) throw new DomainError('UNAUTHENTICATED', 'Sign in and send the token as "Authorization: Bearer <token>".');
  const caller = await auth.authenticate(token);
  if (!caller) throw new DomainError('SESSION_EXPIRED', 'The session is expired or was ended (sign-out, suspension or key revocation); sign in again.');
  return { caller, token };
}

/** A DomainError as GraphQL would carry it (`errors[0].extensions.code`), with `status` by code (400 otherwise); anything else is rethrown. */
export async function refuseAsGraphqlJson(reply: FastifyReply, e: unknown, status: Partial<Record<string, number>>): Promise<void> {
  if (!isDomainError(e)) throw e;
  await reply
    .code(status[e.code] ?? 400)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify({ errors: [{ message: e.message, extensions: { code: e.code, ...(e.details ? { details: e.details } : {}) } }] }));
}
