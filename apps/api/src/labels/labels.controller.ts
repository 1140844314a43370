// Label images over HTTP (docs/pack-labels.md), for the product's manufacturer only: a genuine signed code
// is what a counterfeiter wants, so anyone else gets 404 exactly as for a pack or batch without labels.
//   GET /labels/01/:gtin/21/:serial.svg | .png   one pack's label
//   GET /labels/01/:gtin/10/:lot/sheet           the batch's printable sheet (HTML), streamed label by label
// Signed in with the same bearer session token as GraphQL (401 without one). Errors answer JSON
// `{ errors: [{ message, extensions: { code } }] }`, as GraphQL does.
import { Controller, Get, Headers, Inject, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { AuthService, Caller } from '@pharmatrace/auth';
import { APP_CONFIG, AppConfig } from '@pharmatrace/config';
import { DomainError } from '@pharmatrace/errors';
import { authenticateBearer, refuseAsGraphqlJson } from '../http/bearer-session';
import { labelSheetChunks, PackLabelReads, renderLabelPng, renderLabelSvg } from '@pharmatrace/labels';

/** The header carrying a sheet's label count, for progress on a stream without Content-Length. */
export const TOTAL_LABELS_HEADER = 'x-total-labels';

const STATUS: Partial<Record<string, number>> = {
  UNAUTHENTICATED: 401,
  SESSION_EXPIRED: 401,
  UNKNOWN_LABEL: 404,
  UNKNOWN_BATCH: 404,
  NO_LABELS: 409,
  LABEL_SHEET_BUSY: 429,
};

@Controller('labels')
export class LabelsController {
  /** Manufacturers with a sheet streaming now: one batch at a time each (per API process). */
  private readonly streaming = new Set<string>();

  constructor(
    private readonly auth: AuthService,
    private readonly reads: PackLabelReads,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('01/:gtin/21/:file')
  async pack(@Param('gtin') gtin: string, @Param('file') file: string, @Headers('authorization') authorization: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    try {
      const caller = await this.caller(authorization);
      const match = /^(.+)\.(svg|png)$/.exec(file);
      // An unknown format names no label either.
      if (!match) throw new DomainError('UNKNOWN_LABEL', `No label ${file}: ask for <serial>.svg or <serial>.png.`);
      const label = await this.reads.label(caller, gtin, match[1]);
      const base = this.config.publicBaseUrl;
      reply.header('cache-control', 'no-store');
      if (match[2] === 'svg') await reply.type('image/svg+xml; charset=utf-8').send(await renderLabelSvg(base, label));
      else await reply.type('image/png').send(await renderLabelPng(base, label));
    } catch (e) {
      await refuse(reply, e);
    }
  }

  @Get('01/:gtin/10/:lot/sheet')
  async sheet(@Param('gtin') gtin: string, @Param('lot') lot: string, @Headers('authorization') authorization: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    let claimed: string | null = null;
    try {
      const caller = await this.caller(authorization);
      if (this.streaming.has(caller.participantId)) {
        throw new DomainError('LABEL_SHEET_BUSY', 'A label sheet of yours is already streaming; wait for it to finish, then ask for the next batch.');
      }
      const source = await this.reads.sheet(caller, gtin, lot);
      this.streaming.add(caller.participantId);
      claimed = caller.participantId;
      // Readable.from pulls the next chunk only when the socket drained the last: backpressure end to end.
      const stream = Readable.from(labelSheetChunks(this.config.publicBaseUrl, source.heading, source.pages), { objectMode: false });
      const release = (): void => void this.streaming.delete(caller.participantId);
      stream.once('close', release);
      claimed = null;
      const name = `labels-${source.heading.gtin}-${source.heading.lot}.html`.replace(/[^A-Za-z0-9._-]/g, '_');
      await reply
        .header(TOTAL_LABELS_HEADER, String(source.heading.total))
        .header('access-control-expose-headers', TOTAL_LABELS_HEADER)
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="${name}"`)
        .type('text/html; charset=utf-8')
        .send(stream);
    } catch (e) {
      if (claimed) this.streaming.delete(claimed);
      await refuse(reply, e);
    }
  }

  private async caller(authorization: string | undefined): Promise<Caller> {
    return (await authenticateBearer(this.auth, authorization)).caller;
  }
}

function refuse(reply: FastifyReply, e: unknown): Promise<void> {
  return refuseAsGraphqlJson(reply, e, STATUS);
}
