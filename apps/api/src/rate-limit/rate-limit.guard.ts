// Request rates, counted by @nestjs/throttler's storage: public operations per client address (sign-in
// challenges, and the verification routes that opt in with @RateLimitedPublic), mutations per signed-in
// participant. Over the limit: HTTP 429, `Retry-After`, and RATE_LIMITED.
import { CanActivate, ExecutionContext, HttpException, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { DomainError, isDomainError } from '@pharmatrace/errors';
import type { ApolloDriverConfig } from '@nestjs/apollo';
import { APP_CONFIG, AppConfig } from '@pharmatrace/config';
import { IS_PUBLIC } from '../graphql/common/auth.guard';
import type { RequestWithCaller } from '../graphql/common/auth.guard';

const RATE_LIMITED_PUBLIC = 'pharmatrace:rate-limited-public';

/** An HTTP route (not GraphQL) counted against the per-client public limit. */
export const RateLimitedPublic = () => SetMetadata(RATE_LIMITED_PUBLIC, true);

interface ClientRequest extends RequestWithCaller {
  ip?: string;
}

type ApolloPlugin = NonNullable<ApolloDriverConfig['plugins']>[number];

/**
 * A GraphQL request refused by the rate limit answers HTTP 429 with `Retry-After`, not 200. Nest's Apollo
 * driver resets the status of any response carrying `data` to 200 after the plugins ran, so the status is
 * set by installRateLimitStatus's Fastify hook, keyed on the header set here.
 */
export const rateLimitStatusPlugin: ApolloPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ errors, response }) {
        const limited = errors?.map((e) => e.originalError).find((e) => isDomainError(e) && e.code === 'RATE_LIMITED');
        if (!limited || !isDomainError(limited)) return;
        response.http.headers.set('retry-after', String(limited.details?.retryAfterSeconds ?? 1));
      },
    };
  },
};

/** The storage the limits count in (one per API process; see README "Limits" for several replicas). */
export const rateLimitStorageProvider = { provide: ThrottlerStorage, useClass: ThrottlerStorageService };

@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(ThrottlerStorage) private readonly storage: ThrottlerStorageService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const limits = this.config.rateLimits;
    if (context.getType<string>() === 'graphql') {
      const gql = GqlExecutionContext.create(context);
      const req = gql.getContext<{ req: ClientRequest }>().req;
      const operation = gql.getInfo<{ operation: { operation: string } }>().operation.operation;
      if (req.caller) {
        if (operation === 'mutation') await this.count(`participant:${req.caller.participantId}`, 'mutations', limits.mutationsPerParticipant, true);
      } else if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
        // Sign-in and verification (and any public mutation) count against the tight limit; the public
        // ledger reads witnesses poll (headers, proofs, keys) against a wider one of their own.
        const tight = operation === 'mutation' || this.reflector.getAllAndOverride<boolean>(RATE_LIMITED_PUBLIC, targets);
        if (tight) await this.count(`client:${req.ip ?? 'unknown'}`, 'public', limits.publicPerClient, true);
        else await this.count(`client:${req.ip ?? 'unknown'}`, 'public-reads', limits.publicReadsPerClient, true);
      }
      return true;
    }
    if (context.getType<string>() === 'http' && this.reflector.getAllAndOverride<boolean>(RATE_LIMITED_PUBLIC, targets)) {
      const req = context.switchToHttp().getRequest<ClientRequest>();
      try {
        await this.count(`client:${req.ip ?? 'unknown'}`, 'public', limits.publicPerClient, false);
      } catch (e) {
        const retryAfter = e instanceof HttpException ? (e.cause as { retryAfter?: number } | undefined)?.retryAfter : undefined;
        if (retryAfter) context.switchToHttp().getResponse<{ header(name: string, value: string): unknown }>().header('retry-after', String(retryAfter));
        throw e;
      }
    }
    return true;
  }

  private async count(key: string, bucket: string, limit: number, graphql: boolean): Promise<void> {
    const { windowMs } = this.config.rateLimits;
    const record = await this.storage.increment(`${bucket}:${key}`, windowMs, limit, 0, bucket);
    if (record.totalHits <= limit) return;
    const retryAfter = Math.max(1, Math.ceil(record.timeToExpire));
    const message = `Too many ${bucket === 'mutations' ? 'changes from this participant' : 'requests from this address'}: the limit is ${limit} per ${windowMs / 1000} s. Retry after ${retryAfter} s.`;
    // GraphQL: rateLimitStatusPlugin turns this refusal into HTTP 429 with Retry-After.
    if (graphql) throw new DomainError('RATE_LIMITED', message, { retryAfterSeconds: retryAfter });
    throw new HttpException({ error: { code: 'RATE_LIMITED', message, retryAfterSeconds: retryAfter } }, 429, { cause: { retryAfter } });
  }
}

/** Gives a GraphQL answer that carries a rate-limit `Retry-After` its 429 status (see rateLimitStatusPlugin). */
export function installRateLimitStatus(fastify: { addHook(name: 'onSend', hook: (req: unknown, reply: RateLimitedReply, payload: unknown) => Promise<unknown>): unknown }): void {
  fastify.addHook('onSend', async (_req, reply, payload) => {
    const wanted = reply.getHeader(GRAPHQL_STATUS_HEADER);
    if (wanted !== undefined) {
      reply.removeHeader(GRAPHQL_STATUS_HEADER);
      reply.code(Number(wanted));
    } else if (reply.statusCode === 200 && reply.getHeader('retry-after') !== undefined) {
      reply.code(429);
    }
    return payload;
  });
}

/** Internal: the HTTP status a GraphQL plugin wants for its response (removed before the reply leaves). */
export const GRAPHQL_STATUS_HEADER = 'x-pharmatrace-status';

interface RateLimitedReply {
  statusCode: number;
  getHeader(name: string): unknown;
  removeHeader(name: string): unknown;
  code(status: number): unknown;
}
