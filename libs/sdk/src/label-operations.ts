// Pack labels as a manufacturer's systems drive them (docs/pack-labels.md): label signatures are computed
// here, with the client's own key (the server never holds it), registered in chunks of at most 10,000,
// and the label images fetched back: one pack's SVG/PNG, or a batch's sheet as a stream.
import { fromBase64Url, signPackLabel } from '@pharmatrace/ledger-core';
import { isoToGs1Date, normalizeGtin } from '@pharmatrace/gs1';
import { PharmaTraceApiError } from './graphql-client';
import { KeyFile } from './key-file';
import { PharmaTraceClient } from './pharmatrace-client';

/** Most labels one registerPackLabels call holds (the server's cap). */
export const MAX_LABELS_PER_REGISTRATION = 10_000;

/** One pack's label signature (base64url Ed25519, 86 characters). */
import type { BatchSerialsPage } from '@pharmatrace/labels/pack-label-reads.service';
import type { LabelRegistration, LabelSignatureItem } from '@pharmatrace/labels/pack-labels.service';

/** One pack's label signature (base64url Ed25519, docs/pack-labels.md): the server's own shape. */
export type PackLabelSignature = LabelSignatureItem;
/** What one registration did: the server's own shape. */
export type PackLabelRegistrationResult = LabelRegistration;
export type { BatchSerialsPage };

const keyOf = (clientOrKey: PharmaTraceClient | KeyFile): KeyFile => (clientOrKey instanceof PharmaTraceClient ? clientOrKey.key : clientOrKey);

/**
 * Signs the labels of `serials` of batch (`gtin`, `lot`) expiring `expiresOn` (YYYY-MM-DD) with the
 * client's key, locally: Ed25519 over the JCS bytes of {exp: YYMMDD, gtin: GTIN-14, kid, lot, ser, t, v}.
 */
export function signPackLabels(clientOrKey: PharmaTraceClient | KeyFile, gtin: string, lot: string, expiresOn: string, serials: string[]): PackLabelSignature[] {
  const key = keyOf(clientOrKey);
  const gtin14 = normalizeGtin(gtin) ?? gtin;
  const secret = fromBase64Url(key.secretKey);
  const expiry = isoToGs1Date(expiresOn);
  return serials.map((serial) => ({ serial, signature: signPackLabel({ gtin: gtin14, lot, serial, expiry, kid: key.kid }, secret) }));
}

const REGISTRATION_FIELDS = 'gtin lot expiresOn kid registered unchanged replaced';

/**
 * Registers label signatures made with the client's key, in calls of at most 10,000 (each atomic; a
 * refused chunk leaves the earlier ones stored, and re-sending them is a no-op). `onChunk` is told how
 * many were sent after each call. Refusals: PharmaTraceApiError with the server's code (LABELS_REJECTED
 * with details.errors indexed within the chunk, shifted here to index `labels`).
 */
export async function registerPackLabels(
  client: PharmaTraceClient,
  gtin: string,
  lot: string,
  labels: PackLabelSignature[],
  options: { chunkSize?: number; onChunk?: (sent: number) => void } = {},
): Promise<PackLabelRegistrationResult> {
  const size = Math.min(options.chunkSize ?? MAX_LABELS_PER_REGISTRATION, MAX_LABELS_PER_REGISTRATION);
  const total: PackLabelRegistrationResult = { gtin, lot, expiresOn: '', kid: client.key.kid, registered: 0, unchanged: 0, replaced: 0 };
  for (let start = 0; start === 0 || start < labels.length; start += size) {
    const items = labels.slice(start, start + size);
    let r: PackLabelRegistrationResult;
    try {
      r = (
        await client.query<{ registerPackLabels: PackLabelRegistrationResult }>(`mutation($i: RegisterPackLabelsInput!) { registerPackLabels(input: $i) { ${REGISTRATION_FIELDS} } }`, {
          i: { gtin, lot, kid: client.key.kid, items },
        })
      ).registerPackLabels;
    } catch (e) {
      throw shiftIndexes(e, start);
    }
    Object.assign(total, { gtin: r.gtin, lot: r.lot, expiresOn: r.expiresOn, kid: r.kid });
    total.registered += r.registered;
    total.unchanged += r.unchanged;
    total.replaced += r.replaced;
    options.onChunk?.(Math.min(start + size, labels.length));
  }
  return total;
}

function shiftIndexes(e: unknown, offset: number): unknown {
  if (offset === 0 || !(e instanceof PharmaTraceApiError) || !Array.isArray(e.details?.errors)) return e;
  const errors = (e.details.errors as Array<{ index: number }>).map((x) => ({ ...x, index: x.index + offset }));
  return new PharmaTraceApiError(e.code, e.message, { ...e.details, errors });
}

/** A page of the serials commissioned into one of your batches (`first` 1–1000, after the serial `after`). */
export async function batchSerialsPage(client: PharmaTraceClient, gtin: string, lot: string, first = 1000, after: string | null = null): Promise<BatchSerialsPage> {
  const r = await client.query<{ batchSerials: BatchSerialsPage }>(
    'query($g: String!, $l: String!, $f: Int, $a: String) { batchSerials(gtin: $g, lot: $l, first: $f, after: $a) { gtin lot expiresOn commissioned labelled serials endCursor hasNextPage } }',
    { g: gtin, l: lot, f: first, a: after },
  );
  return r.batchSerials;
}

/** Every page of a batch's commissioned serials, one request per page. */
export async function* batchSerialPages(client: PharmaTraceClient, gtin: string, lot: string, pageSize = 1000): AsyncGenerator<BatchSerialsPage> {
  for (let after: string | null = null; ;) {
    const page = await batchSerialsPage(client, gtin, lot, pageSize, after);
    yield page;
    if (!page.hasNextPage || page.endCursor === null) return;
    after = page.endCursor;
  }
}

/**
 * Signs and registers the labels of every pack commissioned into the batch, a page (≤1,000) at a time:
 * what a manufacturer runs before printing. `onProgress(done, total)` after each page.
 */
export async function signAndRegisterBatchLabels(
  client: PharmaTraceClient,
  gtin: string,
  lot: string,
  onProgress?: (done: number, total: number) => void,
): Promise<PackLabelRegistrationResult & { total: number }> {
  const sum = { gtin, lot, expiresOn: '', kid: client.key.kid, registered: 0, unchanged: 0, replaced: 0, total: 0 };
  let done = 0;
  for await (const page of batchSerialPages(client, gtin, lot)) {
    sum.total = page.commissioned;
    if (page.serials.length === 0) break;
    const r = await registerPackLabels(client, gtin, lot, signPackLabels(client, page.gtin, page.lot, page.expiresOn, page.serials));
    Object.assign(sum, { gtin: r.gtin, expiresOn: r.expiresOn, kid: r.kid });
    sum.registered += r.registered;
    sum.unchanged += r.unchanged;
    sum.replaced += r.replaced;
    done += page.serials.length;
    onProgress?.(done, page.commissioned);
  }
  return sum;
}

/** The label route's answer, signed in as the client (one retry after a fresh sign-in if the session ended). */
async function labelRequest(client: PharmaTraceClient, path: string): Promise<Response> {
  if (!client.graphql.token) await client.signIn();
  const url = `${client.baseUrl.replace(/\/$/, '')}${path}`;
  let res = await fetch(url, { headers: { authorization: `Bearer ${client.graphql.token ?? ''}` } });
  if (res.status === 401) {
    await res.body?.cancel();
    await client.signIn();
    res = await fetch(url, { headers: { authorization: `Bearer ${client.graphql.token ?? ''}` } });
  }
  if (!res.ok) {
    let body: { errors?: Array<{ message: string; extensions?: { code?: string; details?: Record<string, unknown> } }> } = {};
    try {
      body = (await res.json()) as typeof body;
    } catch {
      // not JSON: reported by status below
    }
    const first = body.errors?.[0];
    throw new PharmaTraceApiError(first?.extensions?.code ?? 'HTTP_ERROR', first?.message ?? `The server answered HTTP ${res.status}.`, first?.extensions?.details);
  }
  return res;
}

const gtinPath = (gtin: string): string => encodeURIComponent(normalizeGtin(gtin) ?? gtin);

/** One pack's label image, SVG (text) or PNG (QR only), as bytes. UNKNOWN_LABEL when none is yours to print. */
export async function downloadLabel(client: PharmaTraceClient, gtin: string, serial: string, format: 'svg' | 'png'): Promise<Buffer> {
  const res = await labelRequest(client, `/labels/01/${gtinPath(gtin)}/21/${encodeURIComponent(serial)}.${format}`);
  return Buffer.from(await res.arrayBuffer());
}

/**
 * A batch's printable sheet (HTML) as a stream of bytes, with the label count from X-Total-Labels for
 * progress. UNKNOWN_BATCH, NO_LABELS, LABEL_SHEET_BUSY as refusals.
 */
export async function downloadLabelSheet(client: PharmaTraceClient, gtin: string, lot: string): Promise<{ total: number; body: ReadableStream<Uint8Array> }> {
  const res = await labelRequest(client, `/labels/01/${gtinPath(gtin)}/10/${encodeURIComponent(lot)}/sheet`);
  if (!res.body) throw new PharmaTraceApiError('HTTP_ERROR', 'The server answered without a body.');
  return { total: Number(res.headers.get('x-total-labels') ?? '0'), body: res.body };
}
