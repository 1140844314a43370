// Opening a pack's GS1 Digital Link as an app does (docs/patient-page.md): the same facts as the patient's
// page, as JSON, with the ledger proof to re-verify offline (ledger-verification.ts).
import type { PackReport } from '@pharmatrace/verification/pack-report/pack-report.types';
import { PharmaTraceApiError } from './graphql-client';

export type { PackReport, ReportVerdict, JourneyStep, ReportTemperature, LedgerProofReport } from '@pharmatrace/verification/pack-report/pack-report.types';

export interface ResolveOptions {
  /** A coarse region to record with the scan: an ISO 3166 code (`CH`, `CH-BE`) or an IANA time zone. */
  region?: string;
  /** The app's random per-device id (16–64 base64url characters), for the clone rules. */
  deviceId?: string;
}

/**
 * The public report on the pack a Digital Link names (`link` as scanned from the label; any accepted form).
 * Throws PharmaTraceApiError with the resolver's code for a malformed link (`INVALID_SCAN`, `INVALID_GTIN`,
 * `INVALID_SERIAL`, `INVALID_LOT`, `INVALID_EXPIRY`) or too many requests (`RATE_LIMITED`).
 */
export async function resolvePackLink(link: string, options: ResolveOptions = {}): Promise<PackReport> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.region) headers['scan-region'] = options.region;
  if (options.deviceId) headers['scan-device'] = options.deviceId;
  const res = await fetch(link, { headers });
  const body = (await res.json()) as PackReport | { error: { code: string; message: string } };
  if ('error' in body) throw new PharmaTraceApiError(body.error.code, body.error.message, { status: res.status });
  return body;
}
