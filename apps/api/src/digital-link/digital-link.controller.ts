// The GS1 Digital Link resolver for packs: `GET /01/<gtin>/…` answers the patient's QR page (HTML) or the
// same facts as JSON for apps (docs/patient-page.md), and records the scan coarsely for the clone rules.
// `POST /scans/<scanId>/device` lets the page's script name its device for the scan it was served.
import { Body, Controller, Get, HttpCode, HttpException, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { parsePackScan, readPackLinkSignature } from '@pharmatrace/gs1';
import { PackReportService } from '@pharmatrace/verification';
import { DEVICE_ID_PATTERN, REGION_PATTERN, ScanRecorder } from '@pharmatrace/scan-alerts';
import { Public } from '../graphql/common/auth.guard';
import { RateLimitedPublic } from '../rate-limit/rate-limit.guard';
import { wantsJson } from './negotiation';
import { newNonce, securityHeaders } from './security-headers';
import { ResolverExceptionFilter } from './resolver-exception.filter';
import { malformedLinkPage } from './page/error-page';
import { patientPage } from './page/patient-page';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const header = (req: FastifyRequest, name: string): string | null => {
  const value = req.headers[name];
  return typeof value === 'string' && value.length > 0 ? value : null;
};

/** The query parameter `name` of the raw URL, decoded; null when absent or undecodable. */
function queryParameter(rawUrl: string, name: string): string | null {
  const start = rawUrl.indexOf('?');
  if (start < 0) return null;
  for (const part of rawUrl.slice(start + 1).split('&')) {
    const [key, value = ''] = part.split('=');
    if (key !== name) continue;
    try {
      return decodeURIComponent(value.replace(/\+/g, ' '));
    } catch {
      return null;
    }
  }
  return null;
}

@Public()
@Controller()
@UseFilters(ResolverExceptionFilter)
export class DigitalLinkController {
  constructor(
    private readonly reports: PackReportService,
    private readonly scans: ScanRecorder,
  ) {}

  /**
   * GET /01/<gtin>[/10/<lot>]/21/<serial>[?17=YYMMDD&10=<lot>&sig=…&kid=…] — every GS1 Digital Link form
   * parsePackScan accepts. 200 with the report (HTML, or JSON for `Accept: application/json` or
   * `?format=json`); 400 with the parser's code and sentence for a malformed link (nothing stored);
   * 429 over the per-client public rate limit. Region: `Scan-Region` header or `region` parameter; device:
   * `Scan-Device` header (apps) or the page's own script afterwards.
   */
  @RateLimitedPublic()
  @Get('01/*')
  async resolve(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    // The raw URL keeps the percent-encoding the label carried (a `/` or `%` inside a lot or serial).
    const rawUrl = req.raw.url ?? req.url;
    const link = `https://${req.hostname || 'resolver.invalid'}${rawUrl}`;
    const json = wantsJson(req.headers.accept, queryParameter(rawUrl, 'format') ?? undefined);
    const nonce = newNonce();
    securityHeaders(reply, nonce);
    const scan = parsePackScan(link);
    if (!scan.ok) {
      if (json) void reply.code(400).type('application/json; charset=utf-8').send({ error: { code: scan.code, message: scan.message } });
      else void reply.code(400).type('text/html; charset=utf-8').send(malformedLinkPage(nonce, scan.message));
      return;
    }
    const report = await this.reports.report(scan.pack, readPackLinkSignature(link));
    // A HEAD (link checkers, previews) is answered like the GET but is not a scan: nothing is recorded.
    const scanId = req.method === 'HEAD' ? '' : await this.scans.record({
      gtin: report.scanned.gtin,
      serial: report.scanned.serial,
      channel: json ? 'app' : 'page',
      status: report.verdict.status,
      reasons: report.verdict.reasons.map((r) => r.code),
      region: header(req, 'scan-region') ?? queryParameter(rawUrl, 'region'),
      deviceId: header(req, 'scan-device'),
    });
    if (json) void reply.code(200).type('application/json; charset=utf-8').send(report);
    else void reply.code(200).type('text/html; charset=utf-8').send(patientPage(report, nonce, scanId));
  }

  /**
   * POST /scans/<scanId>/device `{deviceId, region}` — the page's script names its device (16–64 base64url
   * characters) and region (ISO 3166 code or IANA time zone, or null) for the scan it was just served.
   * 204; 404 SCAN_NOT_ATTACHABLE when the scan is unknown, older than 10 minutes or already named;
   * 400 INVALID_SCAN_DEVICE when malformed. Nothing is stored on a refusal.
   */
  @RateLimitedPublic()
  @Post('scans/:scanId/device')
  @HttpCode(204)
  async attachDevice(@Param('scanId') scanId: string, @Body() body: unknown): Promise<void> {
    const input = body as { deviceId?: unknown; region?: unknown } | null;
    const deviceId = input && typeof input === 'object' ? input.deviceId : undefined;
    const region = input && typeof input === 'object' ? (input.region ?? null) : undefined;
    const wellFormed =
      UUID.test(scanId) &&
      typeof deviceId === 'string' &&
      DEVICE_ID_PATTERN.test(deviceId) &&
      (region === null || (typeof region === 'string' && REGION_PATTERN.test(region)));
    if (!wellFormed) {
      throw new HttpException({ error: { code: 'INVALID_SCAN_DEVICE', message: 'Send {"deviceId": 16–64 characters of A–Z, a–z, 0–9, "-" or "_", "region": an ISO 3166 code such as "DE", an IANA time zone such as "Europe/Berlin", or null} for a scan id (a UUID).' } }, 400);
    }
    if (!(await this.scans.attachDevice(scanId, deviceId as string, region as string | null))) {
      throw new HttpException({ error: { code: 'SCAN_NOT_ATTACHABLE', message: 'No recent scan with this id is waiting for its device: it is unknown, older than 10 minutes, or already has one; scan the pack again.' } }, 404);
    }
  }
}
