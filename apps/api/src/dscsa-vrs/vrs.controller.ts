import { Controller, Get, HttpException, Inject, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { APP_CONFIG, AppConfig } from '@pharmatrace/config';
import { parseVrsRequest, VrsResponder, VrsTokenService } from '@pharmatrace/dscsa-vrs';
import { isDomainError } from '@pharmatrace/errors';
import { RateLimitedPublic } from '../rate-limit/rate-limit.guard';

const CHALLENGE = 'Bearer realm="pharmatrace-vrs"';

/**
 * GET /verify/gtin/:gtin/lot/:lot/ser/:serial — the DSCSA verification responder (GS1 US Lightweight
 * Messaging Standard; docs/dscsa-vrs.md). `Authorization: Bearer <VRS token>`. 200 with the LMS body;
 * 400 / 401 / 403 / 429 with `{ error: { code, message } }`. Counted per client address
 * (@RateLimitedPublic) and per requesting participant (the `vrs` bucket, the mutations budget).
 */
@Controller('verify')
export class VrsController {
  constructor(
    private readonly tokens: VrsTokenService,
    private readonly responder: VrsResponder,
    @Inject(ThrottlerStorage) private readonly storage: ThrottlerStorageService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @RateLimitedPublic()
  @Get('gtin/:gtin/lot/:lot/ser/:serial')
  // The raw request, not @Param/@Query: those would pass StorableTextPipe, which refuses U+0000 with its own
  // error; here every malformed value gets the responder's 400 and its own code.
  async verify(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const path = req.params as { gtin: string; lot: string; serial: string };
    const query = (req.query ?? {}) as Record<string, string | string[] | undefined>;
    const header = req.headers.authorization;
    const authorization = Array.isArray(header) ? header[0] : header;
    reply.header('cache-control', 'no-store');
    // The scheme is case-insensitive (RFC 9110 §11.1): "bearer" is "Bearer".
    const token = /^bearer /i.test(authorization ?? '') ? authorization!.slice(7).trim() : '';
    if (!token) {
      await reply.status(401).header('www-authenticate', CHALLENGE).send(error('UNAUTHENTICATED', 'Send your VRS token as "Authorization: Bearer <token>" (issueVrsToken issues one).'));
      return;
    }
    const holder = await this.tokens.authenticate(token);
    if (!holder) {
      await reply
        .status(401)
        .header('www-authenticate', `${CHALLENGE}, error="invalid_token"`)
        .send(error('VRS_TOKEN_INVALID', 'The VRS token is unknown or was revoked; issue a new one with issueVrsToken.'));
      return;
    }
    await this.count(holder.participantId, reply);
    if (await this.refused(reply, () => this.responder.assertMayAsk(holder))) return;
    const parsed = parseVrsRequest(path, query);
    if (!parsed.ok) {
      // Rejected input stores nothing: not even a log entry.
      await reply.status(400).send(error(parsed.code, parsed.message));
      return;
    }
    if (await this.refused(reply, () => this.responder.assertMayAsk(holder, parsed.request))) return;
    await reply.status(200).send(await this.responder.answer(holder, parsed.request));
  }

  /** Runs an authorisation check; its refusal answers 403. */
  private async refused(reply: FastifyReply, check: () => void): Promise<boolean> {
    try {
      check();
      return false;
    } catch (e) {
      if (!isDomainError(e)) throw e;
      await reply.status(403).send(error(e.code, e.message));
      return true;
    }
  }

  /** The per-participant budget (the same as its mutations': RATE_LIMIT_MUTATIONS_PER_PARTICIPANT per window). */
  private async count(participantId: string, reply: FastifyReply): Promise<void> {
    const { windowMs, mutationsPerParticipant: limit } = this.config.rateLimits;
    const record = await this.storage.increment(`vrs:participant:${participantId}`, windowMs, limit, 0, 'vrs');
    if (record.totalHits <= limit) return;
    const retryAfter = Math.max(1, Math.ceil(record.timeToExpire));
    reply.header('retry-after', String(retryAfter));
    const message = `Too many verification requests from this participant: the limit is ${limit} per ${windowMs / 1000} s. Retry after ${retryAfter} s.`;
    throw new HttpException({ error: { code: 'RATE_LIMITED', message, retryAfterSeconds: retryAfter } }, 429);
  }
}

function error(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}
