// The shapes of tracing answers, framework-free: the server builds them, the GraphQL layer exposes them,
// and the SDK and CLI read them (CSV rows included) with one definition.

/** Most packs one forward-trace page holds (like GitHub's `first` ≤ 100, scaled to a national batch). */
export const MAX_TRACE_PAGE = 1000;
export const DEFAULT_TRACE_PAGE = 500;

/**
 * One affected pack, flat (one CSV row). Custodian, container and transit are those of its outermost
 * container (DESIGN.md "Items, custody and states"). Times are ISO 8601 UTC, the signed `at` of the event.
 */
export interface TracedPack {
  /** `sgtin:<GTIN-14>.<serial>` */
  id: string;
  batchId: string;
  gtin: string;
  lot: string;
  /** The pack's own state: active, in_transit, recalled, supplied, destroyed, quarantined, … */
  state: string;
  custodianId: string;
  custodianName: string;
  custodianGln: string;
  /** The case or pallet it is packed in directly; null when loose. */
  containerId: string | null;
  /** The outermost container (pallet of its case); null when loose. */
  outermostContainerId: string | null;
  /** The open shipment its outermost container travels in; null when not in transit. */
  shipmentId: string | null;
  shipmentFromId: string | null;
  shipmentToId: string | null;
  shippedAt: string | null;
}

/**
 * A supply of a pack to a patient (EU FMD "supplied", not undone). The patient appears only as the
 * prescriber's pseudonym, reachable through the pharmacy that dispensed (DESIGN.md "Prescriptions").
 */
export interface TracedDispense {
  packId: string;
  pharmacyId: string;
  pharmacyName: string;
  pharmacyGln: string;
  /** The signed `at` of the dispensing event. */
  dispensedAt: string;
  prescriptionId: string;
  patientPseudonym: string;
}

/** An open shipment carrying affected goods. */
export interface TracedShipment {
  id: string;
  fromId: string;
  toId: string;
  shippedAt: string;
  /** Top-level items (packs, cases, pallets) the shipment carries. */
  items: number;
  /** Affected packs inside it, at any depth. */
  affectedPacks: number;
}

export interface StateCount {
  state: string;
  packs: number;
}

export interface CustodianCount {
  participantId: string;
  name: string;
  gln: string;
  packs: number;
}

/** Most custodians a forward-trace summary names: those with the most packs (then by id). */
export const MAX_SUMMARY_CUSTODIANS = 1000;

export interface ForwardTraceSummary {
  /** The batch asset ids traced (one for a batch; every consuming batch for an ingredient lot). */
  batches: string[];
  totalPacks: number;
  byState: StateCount[];
  /** The MAX_SUMMARY_CUSTODIANS custodians with the most packs. */
  byCustodian: CustodianCount[];
  /** Custodians left out of byCustodian beyond the first MAX_SUMMARY_CUSTODIANS (0 when none). */
  byCustodianOmitted: number;
}

/**
 * One page of a forward trace, keyset-paginated by pack id. The summary comes with the first page only
 * (null after); the shipments and dispenses are those of this page's packs, so a shipment carrying packs of
 * several pages is listed on each of them with the same numbers.
 */
export interface ForwardTracePage {
  summary: ForwardTraceSummary | null;
  packs: TracedPack[];
  shipmentsInTransit: TracedShipment[];
  dispenses: TracedDispense[];
  /** Pass as `after` for the next page; null on an empty page. */
  endCursor: string | null;
  hasNextPage: boolean;
}

export interface TracedBatch {
  id: string;
  gtin: string;
  lot: string;
  productName: string;
  /** YYYY-MM-DD */
  manufacturedOn: string;
  expiresOn: string;
  manufacturerId: string;
  manufacturerName: string;
  manufacturerGln: string;
}

/** The certificate of origin an ingredient lot was registered with (catalog.ingredient_lot_registered). */
export interface CertificateOfOrigin {
  /** SHA-256 (hex) of the certificate document. */
  sha256: string;
  issuer: string;
  /** ISO 3166-1 alpha-2 */
  countryOfOrigin: string;
  issuedOn: string;
}

export interface TracedIngredientLot {
  id: string;
  material: string;
  supplierId: string;
  supplierName: string;
  supplierGln: string;
  certificate: CertificateOfOrigin | null;
}

/** A period one participant held the pack (directly or in a container). */
export interface CustodyPeriod {
  participantId: string;
  name: string;
  gln: string;
  /** When it took custody: the commissioning or the receipt (signed `at`). */
  since: string;
  /** When it shipped the pack on (null: still holds it, or beyond what the caller may see). */
  until: string | null;
  /** The shipment it arrived in; null for the commissioning manufacturer. */
  arrivedBy: string | null;
}

export interface TracedPackShipment {
  id: string;
  fromId: string;
  toId: string;
  /** in_transit, received, refused or voided (as far as the caller may see). */
  state: string;
  shippedAt: string;
  closedAt: string | null;
  /** What was shipped: the pack itself or the container it was in. */
  via: string;
}

export interface TracedVerdict {
  /** The pack, a container it was in, or a shipment it travelled in. */
  subject: string;
  verdict: string;
  minutesOutOfRange: number;
  worstC: number | null;
  mktC: number | null;
  evaluatedAt: string;
}

/**
 * Most entries each list of a backward trace holds: the first MAX_BACKWARD_SHIPMENTS shipments in order
 * (from commissioning on) and the custody periods they give (one more: the commissioning manufacturer's),
 * the first ingredient lots by id, the latest temperature verdicts. `truncated` says a list stopped there.
 */
export const MAX_BACKWARD_SHIPMENTS = 50;
export const MAX_BACKWARD_CUSTODIANS = MAX_BACKWARD_SHIPMENTS + 1;
export const MAX_BACKWARD_INGREDIENT_LOTS = 50;
export const MAX_BACKWARD_VERDICTS = 50;

/** Where a pack came from (DSCSA product tracing; EU FMD art. 38 for who may see it). */
export interface BackwardTrace {
  packId: string;
  /** The pack's current state; null when the caller may not see its current state (it handed it on). */
  state: string | null;
  batch: TracedBatch;
  ingredientLots: TracedIngredientLot[];
  custodians: CustodyPeriod[];
  shipments: TracedPackShipment[];
  temperatureVerdicts: TracedVerdict[];
  /** True when a list stopped at its cap (MAX_BACKWARD_*): more shipments (and custodians), lots or verdicts exist. */
  truncated: boolean;
}

/** Where a recalled pack is, for recall progress. */
export const PROGRESS_BUCKETS = [
  'inChain',
  'inTransitToManufacturer',
  'inTransitElsewhere',
  'returned',
  'neverShipped',
  'destroyed',
  'dispensedBeforeRecall',
  'other',
] as const;
export type ProgressBucket = (typeof PROGRESS_BUCKETS)[number];
export type ProgressCounts = Record<ProgressBucket, number> & { total: number };

export interface CustodianProgress extends ProgressCounts {
  /** null for the aggregated line ("elsewhere") a manufacturer sees for everyone beyond its direct customers. */
  participantId: string | null;
  name: string;
  gln: string | null;
}

export interface HolderNotification {
  participantId: string;
  name: string;
  /** The latest revision it was notified of. */
  revision: number;
  reasons: string[];
  notifiedAt: string;
  acknowledgedAt: string | null;
  /** pending, delivered or failed; null when it registered no webhook. */
  webhookState: string | null;
  webhookAttempts: number | null;
}

export interface AggregatedHolders {
  holders: number;
  acknowledged: number;
}

/**
 * Recall progress lists are capped: the MAX_PROGRESS_CUSTODIANS custodian lines with the most packs (then by
 * participant id; a manufacturer's aggregated "elsewhere" line comes on top, last), and MAX_PROGRESS_HOLDERS
 * holders, those that have not acknowledged first. How many were left out is counted (`byCustodianOmitted`,
 * `holdersOmitted`); the totals always cover every pack, and the forward trace lists every pack's custodian.
 */
export const MAX_PROGRESS_CUSTODIANS = 1000;
export const MAX_PROGRESS_HOLDERS = 1000;

export interface RecallProgress {
  recallId: string;
  class: string;
  state: string;
  reason: string;
  initiatorId: string;
  initiatedAt: string;
  /** The batches counted (a manufacturer: its own batches in the recall). */
  batches: string[];
  totals: ProgressCounts;
  byCustodian: CustodianProgress[];
  /** Custodian lines beyond the first MAX_PROGRESS_CUSTODIANS, left out of byCustodian (0 when none). */
  byCustodianOmitted: number;
  holders: HolderNotification[];
  /** Holders beyond the first MAX_PROGRESS_HOLDERS, left out of holders (0 when none). */
  holdersOmitted: number;
  /** Holders beyond a manufacturer's direct customers, counted, not named; null for a regulator. */
  elsewhereHolders: AggregatedHolders | null;
}
