// EPCIS 2.0 over HTTP (docs/epcis.md), for signed-in participants, within the access model (libs/access):
//   GET /epcis/events   a subset of the EPCIS 2.0 REST binding's GET /events: an EPCISQueryDocument
//                       (queryName SimpleEventQuery), Link: <…>; rel="next" while more events may follow
//   GET /epcis/export   an EPCISDocument of one item and its containers, a batch, a time range, or everything visible
// Signed in with the same bearer session token as GraphQL (401 without one). Errors answer JSON
// `{ errors: [{ message, extensions: { code } }] }`, as GraphQL does; bad parameters 400 EPCIS_INVALID_PARAMETER.
import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { AccessPolicy } from '@pharmatrace/access';
import { AuthService, Caller } from '@pharmatrace/auth';
import { DomainError } from '@pharmatrace/errors';
import { authenticateBearer, refuseAsGraphqlJson } from '../http/bearer-session';
import { EPCIS_DOCUMENT_CONTEXT, epcisDocument } from '@pharmatrace/epcis/export';
import { EpcisEventSelection } from './epcis-event-selection';
import { pageToken, parseEventsQuery, parseExportQuery, RawQuery } from './epcis-query-params';

const STATUS: Partial<Record<string, number>> = { UNAUTHENTICATED: 401, SESSION_EXPIRED: 401, UNKNOWN_ITEM: 404 };
const JSON_LD = 'application/ld+json; charset=utf-8';
/** Response headers of the EPCIS 2.0 REST binding (the standard and vocabulary versions answered). */
const EPCIS_HEADERS = { 'gs1-epcis-version': '2.0.0', 'gs1-cbv-version': '2.0.0', 'cache-control': 'no-store' };

@Controller('epcis')
export class EpcisController {
  private readonly selection: EpcisEventSelection;

  constructor(
    private readonly auth: AuthService,
    access: AccessPolicy,
    dataSource: DataSource,
  ) {
    this.selection = new EpcisEventSelection(dataSource, access);
  }

  @Get('events')
  async events(@Query() query: RawQuery, @Headers('authorization') authorization: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    try {
      const caller = await this.caller(authorization);
      const sel = parseEventsQuery(query);
      const page = await this.selection.page(caller, sel);
      if (page.nextAfterSeq !== null) reply.header('link', `<${nextUrl('/epcis/events', query, page.nextAfterSeq)}>; rel="next"`);
      const doc = epcisDocument(page.events);
      await reply
        .headers(EPCIS_HEADERS)
        .type(JSON_LD)
        .send(
          JSON.stringify({
            '@context': EPCIS_DOCUMENT_CONTEXT,
            type: 'EPCISQueryDocument',
            schemaVersion: '2.0',
            creationDate: doc.creationDate,
            epcisBody: { queryResults: { queryName: 'SimpleEventQuery', resultsBody: { eventList: doc.epcisBody.eventList } } },
          }),
        );
    } catch (e) {
      await refuse(reply, e);
    }
  }

  @Get('export')
  async export(@Query() query: RawQuery, @Headers('authorization') authorization: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    try {
      const caller = await this.caller(authorization);
      const page = await this.selection.page(caller, parseExportQuery(query), true);
      if (page.nextAfterSeq !== null) reply.header('link', `<${nextUrl('/epcis/export', query, page.nextAfterSeq)}>; rel="next"`);
      await reply.headers(EPCIS_HEADERS).type(JSON_LD).send(JSON.stringify(epcisDocument(page.events)));
    } catch (e) {
      await refuse(reply, e);
    }
  }

  private async caller(authorization: string | undefined): Promise<Caller> {
    return (await authenticateBearer(this.auth, authorization)).caller;
  }
}

/** The same query with nextPageToken moved on (relative URL, as the REST binding's Link header allows). */
function nextUrl(path: string, query: RawQuery, afterSeq: number): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (k !== 'nextPageToken' && typeof v === 'string') params.set(k, v);
  params.set('nextPageToken', pageToken(afterSeq));
  return `${path}?${params.toString()}`;
}

function refuse(reply: FastifyReply, e: unknown): Promise<void> {
  return refuseAsGraphqlJson(reply, e, STATUS);
}
