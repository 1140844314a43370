// Errors on the resolver's routes answered in the client's language: the rate limit's 429 (with its
// Retry-After, set by the guard), 503 while the database cannot be reached (with Retry-After) and any
// unexpected failure, as an HTML page for browsers and
// `{error:{code,message}}` for apps.
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '@pharmatrace/database/database-unavailable';
import { ErrorCodes, isDomainError } from '@pharmatrace/errors';
import { wantsJson } from './negotiation';
import { newNonce, securityHeaders } from './security-headers';
import { tooManyRequestsPage, unavailablePage } from './page/error-page';

interface ErrorBody {
  error?: { code?: string; message?: string; retryAfterSeconds?: number };
}

@Catch()
export class ResolverExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('DigitalLink');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    // The device route is for the page's script: always JSON.
    const json = req.method !== 'GET' || wantsJson(req.headers.accept, (req.query as Record<string, string | undefined> | undefined)?.format);
    const nonce = newNonce();
    securityHeaders(reply, nonce);
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse() as ErrorBody | string;
      const error = typeof body === 'object' && body.error ? body.error : { code: status === 429 ? 'RATE_LIMITED' : 'BAD_REQUEST', message: exception.message };
      if (json) {
        void reply.code(status).type('application/json; charset=utf-8').send({ error: { code: error.code, message: error.message } });
      } else {
        const page = status === 429 ? tooManyRequestsPage(nonce, error.retryAfterSeconds ?? 1) : unavailablePage(nonce);
        void reply.code(status).type('text/html; charset=utf-8').send(page);
      }
      return;
    }
    if (isDatabaseUnavailable(exception)) {
      // The database is down or restarting: the same page, but 503 with Retry-After, so apps retry.
      this.logger.warn(`database unavailable: ${exception instanceof Error ? exception.message : String(exception)}`);
      void reply.code(503).header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
      if (json) void reply.type('application/json; charset=utf-8').send({ error: { code: 'DATABASE_UNAVAILABLE', message: ErrorCodes.DATABASE_UNAVAILABLE } });
      else void reply.type('text/html; charset=utf-8').send(unavailablePage(nonce));
      return;
    }
    if (isDomainError(exception)) this.logger.warn(`${exception.code}: ${exception.message}`);
    else this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    if (json) void reply.code(500).type('application/json; charset=utf-8').send({ error: { code: 'INTERNAL', message: 'The check failed on our side; try again in a few minutes.' } });
    else void reply.code(500).type('text/html; charset=utf-8').send(unavailablePage(nonce));
  }
}
