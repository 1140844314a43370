import { Controller, Get, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../graphql/common/auth.guard';
import { wantsJson } from '../digital-link/negotiation';
import { newNonce, securityHeaders } from '../digital-link/security-headers';
import { frontPage, frontPageHtml } from './front-page';

/**
 * GET / — what this server is and where to go. HTML for browsers (self-contained, nonce CSP, nothing from
 * another host); `{name, version, links: [{rel, href, method, title}]}` for `Accept: application/json` or
 * `?format=json`. Reads nothing from the database; public.
 */
@Public()
@Controller()
export class FrontPageController {
  @Get()
  async index(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const query = req.query as Record<string, unknown> | undefined;
    const format = typeof query?.format === 'string' ? query.format : undefined;
    const nonce = newNonce();
    const answer = securityHeaders(reply, nonce).status(200);
    if (wantsJson(req.headers.accept, format)) {
      await answer.type('application/json; charset=utf-8').send(frontPage());
      return;
    }
    await answer.type('text/html; charset=utf-8').send(frontPageHtml(frontPage(), nonce));
  }
}
