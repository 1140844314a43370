// Event types, asset ids and payloads (data version 1) of recalls. Framework-free: the SDK builds these
// payloads, the server checks them, and the audit replays them with one definition.
//
// A recall is a chain of its own (`recall:<id>`): initiated, amended any number of times, closed. Each of
// those events is a *revision* (1 = initiated, then one per amendment, and the close). Holders acknowledge
// a revision they were notified of with a signed `recall.acknowledged` (no asset: many holders acknowledge
// at once, and none of them may move the recall's chain).

export const RecallEventTypes = {
  initiated: 'recall.initiated',
  amended: 'recall.amended',
  closed: 'recall.closed',
  acknowledged: 'recall.acknowledged',
} as const;

/**
 * FDA recall classes (21 CFR 7.3(m)): I — a reasonable probability that use of, or exposure to, the product
 * will cause serious adverse health consequences or death; II — may cause temporary or medically reversible
 * adverse health consequences, or the probability of serious consequences is remote; III — not likely to
 * cause adverse health consequences.
 */
export const RECALL_CLASSES = ['I', 'II', 'III'] as const;
export type RecallClass = (typeof RECALL_CLASSES)[number];

export const RECALL_ID_PATTERN = /^recall:[A-Za-z0-9._:-]{8,80}$/;
export const recallAssetId = (id: string): string => `recall:${id}`;

/**
 * Most batches one recall covers in total (named, and reached through its ingredient lots, over every revision),
 * and most ingredient lots it names in total: `recall(id)` lists them all, so they are bounded like any page.
 * One event names at most as many. A recall that must reach more is split: start a new recall.
 */
export const MAX_RECALL_BATCHES = 1000;
export const MAX_RECALL_INGREDIENT_LOTS = 100;
/**
 * Most revisions one recall has (1 = the initiation, then one per amendment, and the close): amendments stop at
 * MAX_RECALL_REVISIONS - 1 so that the close always fits. `recall(id)` lists every revision.
 */
export const MAX_RECALL_REVISIONS = 100;

/**
 * Pack states a recall turns into `recalled`: goods still in the supply chain (held, travelling, held by the
 * cold chain, locked for investigation, or set expired). Packs already supplied to a patient, destroyed,
 * exported, stolen, lost or given as samples keep their state — they are counted, not changed.
 */
export const RECALLABLE_PACK_STATES = ['active', 'in_transit', 'quarantined', 'locked', 'expired'] as const;

export type RecallInitiatedData = {
  v: 1;
  /** The recall's asset id, `recall:<8–80 id characters>`; the event lists it with prev null. */
  recall: string;
  class: RecallClass;
  /** Why (≤ 1,000 characters, one line, no control or bidi-formatting character), e.g. "out-of-specification assay result". */
  reason: string;
  /**
   * What holders must do (≤ 2,000 characters; line feeds and tabs allowed, no other control or bidi-formatting
   * character), shown to them, at the counter and on the patient page.
   */
  instructions: string;
  /** Whether patients who were supplied a pack must be told (the pharmacy reaches them; the page says so). */
  notifyPatients: boolean;
  /** Batch asset ids (`batch:<GTIN-14>/<lot>`). */
  batches: string[];
  /** Ingredient lot asset ids (`ingredient-lot:<supplier>/<lot>`): every batch that consumed one is recalled too. */
  ingredientLots: string[];
};

export type RecallAmendedData = {
  v: 1;
  recall: string;
  /** More batches, and ingredient lots (with every batch that consumed them); may be empty. */
  addBatches: string[];
  addIngredientLots: string[];
  /** New instructions to holders, replacing the old; null keeps them. */
  instructions: string | null;
  /** A new class (e.g. escalated from II to I); null keeps it. */
  class: RecallClass | null;
};

export type RecallClosedData = {
  v: 1;
  recall: string;
  /** Why it is closed (≤ 1,000 characters, one line), e.g. "all reachable stock returned and destroyed". */
  summary: string;
};

export type RecallAcknowledgedData = {
  v: 1;
  recall: string;
  /** The revision acknowledged (1 = the initiation, then one per amendment). */
  revision: number;
};
