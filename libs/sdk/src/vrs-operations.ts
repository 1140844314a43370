// The DSCSA verification responder as trading partners use it (docs/dscsa-vrs.md): VRS tokens through
// GraphQL, the request log, and vrsVerify — the GS1 US Lightweight Messaging request a wholesaler's or
// dispenser's VRS requester sends for a pack in hand (e.g. a saleable return).
import type { VrsResponse } from '@pharmatrace/dscsa-vrs/vrs-answer';
import type { VrsRequestView } from '@pharmatrace/dscsa-vrs/vrs-requests.service';
import { PharmaTraceApiError } from './graphql-client';
import { PharmaTraceClient } from './pharmatrace-client';

export type { VrsResponse, VrsAnswerData, VrsFailureReason, VrsAdditionalInfo } from '@pharmatrace/dscsa-vrs/vrs-answer';

export interface VrsTokenInfo {
  id: string;
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** One logged verification request, as the manufacturer (or the requester, or a regulator) reads it: the server's own shape. */
export type VrsRequestEntry = VrsRequestView;

const TOKEN_FIELDS = 'id label createdAt lastUsedAt revokedAt';
const REQUEST_FIELDS =
  'id requestedAt requesterId requesterName requesterGln manufacturerId gtin lot serial expiry context reqGln corrUuid checkConnectivity verified verificationFailureReason additionalInfo';

/** Issues a VRS token for the signed-in participant: keep `token` now, it is never shown again. */
export async function issueVrsToken(client: PharmaTraceClient, label: string): Promise<VrsTokenInfo & { token: string }> {
  const r = await client.query<{ issueVrsToken: VrsTokenInfo & { token: string } }>(`mutation($l: String!) { issueVrsToken(label: $l) { ${TOKEN_FIELDS} token } }`, { l: label });
  return r.issueVrsToken;
}

/** Revokes one of the signed-in participant's VRS tokens. */
export async function revokeVrsToken(client: PharmaTraceClient, id: string): Promise<VrsTokenInfo> {
  const r = await client.query<{ revokeVrsToken: VrsTokenInfo }>(`mutation($i: String!) { revokeVrsToken(id: $i) { ${TOKEN_FIELDS} } }`, { i: id });
  return r.revokeVrsToken;
}

/** The signed-in participant's VRS tokens, newest first. */
export async function myVrsTokens(client: PharmaTraceClient): Promise<VrsTokenInfo[]> {
  return (await client.query<{ myVrsTokens: VrsTokenInfo[] }>(`{ myVrsTokens { ${TOKEN_FIELDS} } }`)).myVrsTokens;
}

/** One page of the verification requests the caller may read, newest first (`first` ≤ 100; `after` the last id of the previous page). */
export async function vrsRequests(client: PharmaTraceClient, page: { first?: number; after?: string | null } = {}): Promise<VrsRequestEntry[]> {
  const r = await client.query<{ vrsRequests: VrsRequestEntry[] }>(`query($f: Int!, $a: String) { vrsRequests(first: $f, after: $a) { ${REQUEST_FIELDS} } }`, {
    f: page.first ?? 50,
    a: page.after ?? null,
  });
  return r.vrsRequests;
}

/** A verification request refused by the responder: `status` is the HTTP status (400, 401, 403, 429), `code` the stable error code. */
export class VrsRequestError extends PharmaTraceApiError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
  ) {
    super(code, message);
    this.name = 'VrsRequestError';
  }
}

export interface VrsQuery {
  gtin: string;
  lot: string;
  serial: string;
  /** YYMMDD, as printed (GS1 AI 17). */
  expiry: string;
  /** RFC 4122 UUID the answer echoes; the requester keeps it to match answers. */
  corrUUID?: string;
  /** e.g. `dscsaSaleableReturn`. */
  context?: string;
  /** The requester's own GLN. */
  reqGLN?: string;
  checkConnectivity?: boolean;
}

/**
 * Sends one LMS verification request: GET {baseUrl}/verify/gtin/…/lot/…/ser/…?exp=…&linkType=verificationService…
 * with the VRS token. The LMS response on 200; otherwise throws VrsRequestError.
 */
export async function vrsVerify(baseUrl: string, token: string, q: VrsQuery): Promise<VrsResponse> {
  const params = new URLSearchParams({ exp: q.expiry, linkType: 'verificationService' });
  if (q.context !== undefined) params.set('context', q.context);
  if (q.reqGLN !== undefined) params.set('reqGLN', q.reqGLN);
  if (q.corrUUID !== undefined) params.set('corrUUID', q.corrUUID);
  if (q.checkConnectivity) params.set('checkConnectivity', 'true');
  const path = `/verify/gtin/${encodeURIComponent(q.gtin)}/lot/${encodeURIComponent(q.lot)}/ser/${encodeURIComponent(q.serial)}`;
  const res = await fetch(`${baseUrl.replace(/\/$/, '')}${path}?${params}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  if (res.status === 200) return body as VrsResponse;
  const err = (body as { error?: { code?: string; message?: string }; message?: string } | null) ?? null;
  throw new VrsRequestError(res.status, err?.error?.code ?? `HTTP_${res.status}`, err?.error?.message ?? err?.message ?? text.slice(0, 200));
}
