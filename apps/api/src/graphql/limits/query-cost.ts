// What one GraphQL operation may cost, computed before it runs (like GitHub's and Shopify's APIs): each
// object a query returns costs 1 point, times the page sizes of the lists above it. The estimate comes
// from graphql-query-complexity; this file only says how big each list can be.
import { getNamedType, GraphQLField, isLeafType, isListType, isNonNullType, GraphQLOutputType } from 'graphql';
import { ComplexityEstimator } from 'graphql-query-complexity';
import {
  MAX_BACKWARD_CUSTODIANS, MAX_BACKWARD_INGREDIENT_LOTS, MAX_BACKWARD_SHIPMENTS, MAX_BACKWARD_VERDICTS, MAX_PROGRESS_CUSTODIANS, MAX_PROGRESS_HOLDERS,
  MAX_SUMMARY_CUSTODIANS,
} from '@pharmatrace/tracing/trace-views';

/** A list field without a page argument is counted at this many entries (`itemHistory` and the like). */
export const UNPAGED_LIST_ESTIMATE = 100;

/**
 * Lists whose size a parent's argument already bounds (counted once, not again), or that are known to be
 * larger than the estimate. Keyed `Type.field`.
 */
const LIST_SIZE_HINTS: Record<string, number> = {
  // temperatureHistory(first) pages its readings, at most MAX_READINGS_PAGE of them.
  'TemperatureHistory.readings': 1000,
  'Query.itemHistory': 1000,
  // A participant's keys: its terminals and loggers, typically a handful.
  'Participant.keys': 10,
  'Query.ledgerKeys': 10,
  // Breach and reason codes of one verdict: a few.
  'TemperatureEvaluation.breaches': 4,
  'TemperatureEvaluation.reasons': 4,
  // A Merkle proof has at most one hash per tree level.
  'InclusionProof.hashes': 64,
  'ConsistencyProof.hashes': 64,
  // Why a participant was told of a recall revision: a few reasons (libs/notifications NOTIFICATION_REASONS).
  'RecallNotification.reasons': 5,
  'RecallDelivery.reasons': 5,
  // A recall's batches, lots and revisions: at most MAX_RECALL_BATCHES, MAX_RECALL_INGREDIENT_LOTS and
  // MAX_RECALL_REVISIONS in total (libs/recalls/src/recall-events.ts; amendments past them are refused).
  // An alert's life cycle has at most three steps: raised (new), under_investigation, closed (libs/scan-alerts).
  'VerificationAlert.updates': 3,
  'Recall.batches': 1000,
  'Recall.ingredientLots': 100,
  'Recall.revisions': 100,
  // Tracing (libs/tracing): a forward-trace page holds at most MAX_TRACE_PAGE packs, and its shipments and
  // dispenses are those of its packs; a national batch reaches up to ~1,000 custodians and a recall covers
  // up to MAX_RECALL_BATCHES batches.
  'ForwardTracePage.packs': 1000,
  'ForwardTracePage.shipmentsInTransit': 1000,
  'ForwardTracePage.dispenses': 1000,
  'ForwardTraceSummary.batches': 1000,
  'ForwardTraceSummary.byState': 20,
  'ForwardTraceSummary.byCustodian': MAX_SUMMARY_CUSTODIANS,
  // Backward traces and recall progress cap these lists (libs/tracing trace-views.ts); byCustodian adds a
  // manufacturer's aggregated "elsewhere" line.
  'BackwardTrace.ingredientLots': MAX_BACKWARD_INGREDIENT_LOTS,
  'BackwardTrace.custodians': MAX_BACKWARD_CUSTODIANS,
  'BackwardTrace.shipments': MAX_BACKWARD_SHIPMENTS,
  'BackwardTrace.temperatureVerdicts': MAX_BACKWARD_VERDICTS,
  'RecallProgress.batches': 1000,
  'RecallProgress.byCustodian': MAX_PROGRESS_CUSTODIANS + 1,
  'RecallProgress.holders': MAX_PROGRESS_HOLDERS,
  'HolderNotification.reasons': 4,
  // batchSerials(first) pages a batch's serials, at most 1,000 (libs/labels SHEET_PAGE_SIZE).
  'BatchSerialsPage.serials': 1000,
  // A manufacturer's keys for offline label checks: at most MAX_LABEL_KEYS (libs/labels).
  'PackLabelKeys.keys': 50,
  // A participant's VRS tokens: at most MAX_ACTIVE_VRS_TOKENS (20) active and the 100 latest revoked (libs/dscsa-vrs).
  'Query.myVrsTokens': 120,
};

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/** Entries a field returns at most: `first`, the length of a list argument, or the hint for its list. */
function pageSize(parentType: string, field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): number {
  if (!isList(field.type)) return 1;
  if (typeof args.first === 'number') return Math.max(args.first, 1);
  for (const value of Object.values(args)) if (Array.isArray(value)) return Math.max(value.length, 1);
  return LIST_SIZE_HINTS[`${parentType}.${field.name}`] ?? UNPAGED_LIST_ESTIMATE;
}

/**
 * cost(field) = size × (own + the cost of what is selected inside), where own is 1 for an object or an
 * entry of a list (a list of ids costs its length too) and 0 for a single scalar.
 */
export const pagedCostEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  const own = isLeafType(getNamedType(field.type)) && !isList(field.type) ? 0 : 1;
  return pageSize(type.name, field, args) * (own + childComplexity);
};
