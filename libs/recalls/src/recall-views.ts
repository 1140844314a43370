// Shapes of a recall as the read side answers it: framework-free, shared by the server and the SDK.
import type { RecallClass } from './recall-events';

export interface RecallBatchView {
  batchId: string;
  /** The ingredient lot through which the recall reached this batch; null when the batch was named. */
  viaIngredientLot: string | null;
  addedRevision: number;
}

export interface RecallRevisionView {
  revision: number;
  kind: 'initiated' | 'amended' | 'closed';
  seq: number;
  eventHash: string;
  /** ISO 8601 UTC, server time of acceptance. */
  at: string;
  /** The instructions in force from this revision on. */
  instructions: string;
}

export interface RecallView {
  /** `recall:<id>` */
  id: string;
  class: RecallClass;
  reason: string;
  instructions: string;
  notifyPatients: boolean;
  state: 'open' | 'closed';
  /** The latest revision (1 = the initiation, then one per amendment, and the close). */
  revision: number;
  initiatorId: string;
  initiatedSeq: number;
  initiatedAt: string;
  closedAt: string | null;
  closeSummary: string | null;
  batches: RecallBatchView[];
  ingredientLots: Array<{ ingredientLotId: string; addedRevision: number }>;
  revisions: RecallRevisionView[];
}

export type RecallSummaryRow = Omit<RecallView, 'batches' | 'ingredientLots' | 'revisions'>;
