// The last bound on one request's work: a response larger than RESPONSE_MAX_BYTES is replaced by
// RESPONSE_TOO_LARGE (the cost budget should refuse such a query before it runs; this catches what an
// estimate cannot see, such as unusually large events).
import type { FastifyInstance } from 'fastify';

export function installResponseSizeLimit(fastify: FastifyInstance, maxBytes: number): void {
  fastify.addHook('onSend', async (_req, reply, payload) => {
    const size = typeof payload === 'string' ? Buffer.byteLength(payload) : Buffer.isBuffer(payload) ? payload.length : 0;
    if (size <= maxBytes) return payload;
    reply.code(413).header('content-type', 'application/json; charset=utf-8');
    return JSON.stringify({
      errors: [
        {
          message: `The response would be ${size} bytes; the limit is ${maxBytes} bytes a request. Ask for smaller pages (first) or fewer fields, and page through the rest.`,
          extensions: { code: 'RESPONSE_TOO_LARGE' },
        },
      ],
    });
  });
}
