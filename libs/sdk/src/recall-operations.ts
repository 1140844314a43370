// Recalls as a regulator's or manufacturer's system drives them (DESIGN.md "Recalls and tracing"): the recall
// events are built here, signed with the caller's key citing the recall chain's head, and submitted through
// their mutations; holders acknowledge what they were notified of.
import {
  RecallAcknowledgedData,
  RecallAmendedData,
  RecallClass,
  RecallClosedData,
  RecallEventTypes,
  RecallInitiatedData,
} from '@pharmatrace/recalls/recall-events';
import type { RecallView } from '@pharmatrace/recalls/recall-views';
import { Receipt, RECEIPT_FIELDS } from './api-types';
import { PharmaTraceClient } from './pharmatrace-client';
import { uuidv7 } from './uuidv7';

export type { RecallClass } from '@pharmatrace/recalls/recall-events';

type RecallMutation = 'initiateRecall' | 'amendRecall' | 'closeRecall' | 'acknowledgeRecall';

async function call(client: PharmaTraceClient, mutation: RecallMutation, signed: unknown): Promise<Receipt> {
  const r = await client.query<Record<string, Receipt>>(`mutation($i: SignedEventInput!) { ${mutation}(input: $i) { ${RECEIPT_FIELDS} } }`, { i: signed });
  return r[mutation];
}

export interface RecallSpec {
  /** `recall:<id>`; defaults to `recall:<UUIDv7>`. */
  recall?: string;
  class: RecallClass;
  reason: string;
  instructions: string;
  notifyPatients: boolean;
  /** Batch asset ids, `batch:<GTIN-14>/<lot>`. */
  batches?: string[];
  /** Ingredient lot asset ids (regulators only). */
  ingredientLots?: string[];
}

/** Initiates a recall (a new recall:<id> chain); the receipt's result counts the batches and packs recalled. */
export async function initiateRecall(client: PharmaTraceClient, spec: RecallSpec): Promise<{ receipt: Receipt; recall: string }> {
  const recall = spec.recall ?? `recall:${uuidv7()}`;
  const data: RecallInitiatedData = {
    v: 1,
    recall,
    class: spec.class,
    reason: spec.reason,
    instructions: spec.instructions,
    notifyPatients: spec.notifyPatients,
    batches: spec.batches ?? [],
    ingredientLots: spec.ingredientLots ?? [],
  };
  const receipt = await call(client, 'initiateRecall', client.sign({ type: RecallEventTypes.initiated, assets: [{ id: recall, prev: null }], data }));
  return { receipt, recall };
}

export interface RecallAmendment {
  addBatches?: string[];
  addIngredientLots?: string[];
  /** New instructions; left out keeps the current ones. */
  instructions?: string;
  /** A new class; left out keeps the current one. */
  class?: RecallClass;
}

/** Amends a recall (a new revision): more batches or ingredient lots, new instructions or class. */
export async function amendRecall(client: PharmaTraceClient, recall: string, change: RecallAmendment): Promise<Receipt> {
  const data: RecallAmendedData = {
    v: 1,
    recall,
    addBatches: change.addBatches ?? [],
    addIngredientLots: change.addIngredientLots ?? [],
    instructions: change.instructions ?? null,
    class: change.class ?? null,
  };
  return call(client, 'amendRecall', await client.signWithHeads(RecallEventTypes.amended, [recall], data));
}

/** Closes a recall with a summary; recalled goods stay recalled. */
export async function closeRecall(client: PharmaTraceClient, recall: string, summary: string): Promise<Receipt> {
  const data: RecallClosedData = { v: 1, recall, summary };
  return call(client, 'closeRecall', await client.signWithHeads(RecallEventTypes.closed, [recall], data));
}

/** Acknowledges a recall revision you were notified of (a signed event that touches no asset). */
export function acknowledgeRecall(client: PharmaTraceClient, recall: string, revision: number): Promise<Receipt> {
  const data: RecallAcknowledgedData = { v: 1, recall, revision };
  return call(client, 'acknowledgeRecall', client.sign({ type: RecallEventTypes.acknowledged, assets: [], data }));
}

/** A recall as the API answers it; batches, ingredientLots and revisions are null in lists. */
export type RecallDetailsView = Omit<RecallView, 'initiatedSeq' | 'batches' | 'ingredientLots' | 'revisions'> & {
  batches: RecallView['batches'] | null;
  ingredientLots: RecallView['ingredientLots'] | null;
  revisions: RecallView['revisions'] | null;
};

const SUMMARY_FIELDS = 'id class reason instructions notifyPatients state revision initiatorId initiatedAt closedAt closeSummary';
export const RECALL_FIELDS =
  `${SUMMARY_FIELDS} batches { batchId viaIngredientLot addedRevision } ingredientLots { ingredientLotId addedRevision } ` +
  'revisions { revision kind seq eventHash at instructions }';

/** The recall, or null when it does not exist or you may not see it. */
export async function getRecall(client: PharmaTraceClient, id: string): Promise<RecallDetailsView | null> {
  return (await client.query<{ recall: RecallDetailsView | null }>(`query($id: String!) { recall(id: $id) { ${RECALL_FIELDS} } }`, { id })).recall;
}

/** A page of the recalls you may see, oldest first; pass the last id as `after` for the next page. */
export async function listRecalls(
  client: PharmaTraceClient,
  opts: { first?: number; after?: string; state?: 'open' | 'closed' } = {},
): Promise<RecallDetailsView[]> {
  const r = await client.query<{ recalls: RecallDetailsView[] }>(
    `query($first: Int, $after: String, $state: String) { recalls(first: $first, after: $after, state: $state) { ${SUMMARY_FIELDS} } }`,
    { first: opts.first ?? 50, after: opts.after ?? null, state: opts.state ?? null },
  );
  return r.recalls.map((x) => ({ ...x, batches: null, ingredientLots: null, revisions: null }));
}
