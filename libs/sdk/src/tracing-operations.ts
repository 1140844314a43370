// Tracing as a regulator's (or a holder's) systems drive it: forward traces as an async generator over
// keyset pages (so a batch of 100,000 packs never sits in memory at once), backward traces, recall progress.
import type { BackwardTrace, ForwardTracePage, RecallProgress } from '@pharmatrace/tracing/trace-views';
import { PharmaTraceClient } from './pharmatrace-client';

export type { BackwardTrace, ForwardTracePage, RecallProgress, TracedPack, TracedDispense, TracedShipment, ForwardTraceSummary } from '@pharmatrace/tracing/trace-views';

/** What to trace forward: a batch (`batch:<GTIN-14>/<lot>`) or an ingredient lot (`ingredient-lot:<supplier>/<lot>`). */
export type ForwardTraceTarget = { batch: string; ingredientLot?: undefined } | { ingredientLot: string; batch?: undefined };

export interface ForwardTraceOptions {
  /** Packs a page, 1–1000 (default 500). */
  pageSize?: number;
  /** Resume after this cursor (an earlier page's endCursor). */
  after?: string | null;
}

const PAGE_FIELDS =
  'summary { batches totalPacks byState { state packs } byCustodian { participantId name gln packs } byCustodianOmitted } ' +
  'packs { id batchId gtin lot state custodianId custodianName custodianGln containerId outermostContainerId shipmentId shipmentFromId shipmentToId shippedAt } ' +
  'shipmentsInTransit { id fromId toId shippedAt items affectedPacks } ' +
  'dispenses { packId pharmacyId pharmacyName pharmacyGln dispensedAt prescriptionId patientPseudonym } endCursor hasNextPage';

/** One page of a forward trace (regulators; FORBIDDEN_ROLE for others). */
export async function traceForwardPage(client: PharmaTraceClient, target: ForwardTraceTarget, first = 500, after: string | null = null): Promise<ForwardTracePage> {
  const r = await client.query<{ traceForward: ForwardTracePage }>(
    `query($b: String, $l: String, $f: Int, $a: String) { traceForward(batch: $b, ingredientLot: $l, first: $f, after: $a) { ${PAGE_FIELDS} } }`,
    { b: target.batch ?? null, l: target.ingredientLot ?? null, f: first, a: after },
  );
  return r.traceForward;
}

/** Every page of a forward trace, in pack-id order, one request per page; the first carries the summary. */
export async function* traceForwardPages(client: PharmaTraceClient, target: ForwardTraceTarget, options: ForwardTraceOptions = {}): AsyncGenerator<ForwardTracePage> {
  let after = options.after ?? null;
  for (;;) {
    const page = await traceForwardPage(client, target, options.pageSize ?? 500, after);
    yield page;
    if (!page.hasNextPage || page.endCursor === null) return;
    after = page.endCursor;
  }
}

export interface ForwardTraceCsvPage {
  csv: string;
  totalPacks: number | null;
  endCursor: string | null;
  hasNextPage: boolean;
}

/** Every page of a forward trace as CSV text (the header on the first page only). */
export async function* traceForwardCsvPages(client: PharmaTraceClient, target: ForwardTraceTarget, options: ForwardTraceOptions = {}): AsyncGenerator<ForwardTraceCsvPage> {
  let after = options.after ?? null;
  for (;;) {
    const r = await client.query<{ traceForwardCsv: ForwardTraceCsvPage }>(
      'query($b: String, $l: String, $f: Int, $a: String) { traceForwardCsv(batch: $b, ingredientLot: $l, first: $f, after: $a) { csv totalPacks endCursor hasNextPage } }',
      { b: target.batch ?? null, l: target.ingredientLot ?? null, f: options.pageSize ?? 500, a: after },
    );
    yield r.traceForwardCsv;
    if (!r.traceForwardCsv.hasNextPage || r.traceForwardCsv.endCursor === null) return;
    after = r.traceForwardCsv.endCursor;
  }
}

const BACKWARD_FIELDS =
  'packId state batch { id gtin lot productName manufacturedOn expiresOn manufacturerId manufacturerName manufacturerGln } ' +
  'ingredientLots { id material supplierId supplierName supplierGln certificate { sha256 issuer countryOfOrigin issuedOn } } ' +
  'custodians { participantId name gln since until arrivedBy } shipments { id fromId toId state shippedAt closedAt via } ' +
  'temperatureVerdicts { subject verdict minutesOutOfRange worstC mktC evaluatedAt } truncated';

/** Where a pack (`sgtin:…` or a GS1 scan) came from; UNKNOWN_ITEM for a pack you may not see. */
export async function traceBackward(client: PharmaTraceClient, pack: string): Promise<BackwardTrace> {
  const r = await client.query<{ traceBackward: BackwardTrace }>(`query($p: String!) { traceBackward(pack: $p) { ${BACKWARD_FIELDS} } }`, { p: pack });
  return r.traceBackward;
}

const COUNTS = 'inChain inTransitToManufacturer inTransitElsewhere returned neverShipped destroyed dispensedBeforeRecall other total';
const PROGRESS_FIELDS =
  `recallId class state reason initiatorId initiatedAt batches totals { ${COUNTS} } byCustodian { participantId name gln ${COUNTS} } byCustodianOmitted ` +
  'holders { participantId name revision reasons notifiedAt acknowledgedAt webhookState webhookAttempts } holdersOmitted elsewhereHolders { holders acknowledged }';

/** Where a recall's packs stand (regulators; the recalling manufacturer as counts). UNKNOWN_RECALL otherwise. */
export async function recallProgress(client: PharmaTraceClient, recall: string): Promise<RecallProgress> {
  const r = await client.query<{ recallProgress: RecallProgress }>(`query($r: String!) { recallProgress(recall: $r) { ${PROGRESS_FIELDS} } }`, { r: recall });
  return r.recallProgress;
}
