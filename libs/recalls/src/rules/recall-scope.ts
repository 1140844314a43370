// What a recall covers and what covering does, shared by the initiation and every amendment: the batches it
// names, the batches that consumed an ingredient lot it names (found through batch_ingredients), and the
// effect on goods — every pack of those batches still in the chain becomes `recalled` (DESIGN.md "Pack
// states": recalled is final), in one statement per event whatever the batch size (100,000 packs included).
import { EntityManager } from 'typeorm';
import { EventDataReader, Signer } from '@pharmatrace/ledger';
import { DomainError } from '@pharmatrace/errors';
import { MAX_RECALL_BATCHES, MAX_RECALL_INGREDIENT_LOTS, RECALL_CLASSES, RECALL_ID_PATTERN, RECALLABLE_PACK_STATES, RecallClass } from '../recall-events';

/** `batch:<GTIN-14>/<lot>`, the lot as GS1 AI (10) allows it. */
export const BATCH_ID_PATTERN = /^batch:\d{14}\/[A-Za-z0-9._-]{1,20}$/;
/** `ingredient-lot:<supplier>/<lot number>`. */
export const INGREDIENT_LOT_ID_PATTERN = /^ingredient-lot:[^/\s]{1,64}\/\S{1,120}$/;
/** Ingredient lot states a recall turns into `recalled`: lots still unconsumed somewhere in the chain. */
const RECALLABLE_LOT_STATES = ['active', 'in_transit', 'quarantined'];

export function readRecallId(r: EventDataReader): string {
  return r.string('recall', { max: 90, pattern: RECALL_ID_PATTERN, hint: 'must be recall:<8–80 letters, digits, ".", "_", ":" or "-">' });
}

/** Why (a recall's reason) or how it ended (a close's summary): one line of plain text, up to 1,000 characters. */
export function readRecallText(r: EventDataReader, key: 'reason' | 'summary'): string {
  return r.text(key, { max: 1000 });
}

export function readClass(r: EventDataReader, key = 'class'): RecallClass {
  return r.oneOf(key, RECALL_CLASSES);
}

/** What holders must do: up to 2,000 characters of plain text; line feeds and tabs allowed, no other control character. */
export function readInstructions(r: EventDataReader, key = 'instructions'): string {
  const s = r.text(key, { max: 2000, multiline: true });
  if (s.trim().length === 0) throw new DomainError('INVALID_EVENT_DATA', `data.${key} must say what holders must do (it is blank).`, { path: `data.${key}` });
  return s;
}

/** A list of distinct batch asset ids (at most MAX_RECALL_BATCHES: one event never names more than a recall may cover). */
export function readBatches(r: EventDataReader, key: string): string[] {
  const ids = r.stringArray(key, { max: MAX_RECALL_BATCHES, pattern: BATCH_ID_PATTERN, hint: 'must be a batch asset id, batch:<GTIN-14>/<lot>' });
  return distinct(ids, key);
}

/** A list of distinct ingredient lot asset ids (at most MAX_RECALL_INGREDIENT_LOTS). */
export function readIngredientLots(r: EventDataReader, key: string): string[] {
  const ids = r.stringArray(key, { max: MAX_RECALL_INGREDIENT_LOTS, pattern: INGREDIENT_LOT_ID_PATTERN, hint: 'must be an ingredient lot asset id, ingredient-lot:<supplier>/<lot>' });
  return distinct(ids, key);
}

function distinct(ids: string[], key: string): string[] {
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) throw new DomainError('INVALID_EVENT_DATA', `data.${key} names ${twice} twice; name each once.`, { path: `data.${key}` });
  return ids;
}

/** The event lists exactly the recall's own chain, citing its prev (null for the initiation). */
export function requireRecallAssetOnly(assets: ReadonlyArray<{ id: string }>, recall: string): void {
  if (assets.length !== 1 || assets[0].id !== recall) {
    throw new DomainError('INVALID_EVENT_DATA', `This event must list exactly one asset, ${recall}, with its prev.`);
  }
}

/**
 * Checks what a signer names: every batch is registered (UNKNOWN_BATCH naming the first that is not) and,
 * for a manufacturer, its own (NOT_PRODUCT_OWNER: a voluntary recall covers only batches it registered —
 * FDA 21 CFR 7.46, a firm recalls its own product); every ingredient lot is registered (UNKNOWN_ITEM), and
 * only a regulator names ingredient lots (FORBIDDEN_ROLE: a lot reaches other makers' batches).
 */
export async function checkNamedScope(m: EntityManager, signer: Signer, batches: string[], lots: string[]): Promise<void> {
  if (lots.length > 0 && signer.role !== 'regulator') {
    throw new DomainError(
      'FORBIDDEN_ROLE',
      'Only a regulator may recall ingredient lots (a lot may have gone into other manufacturers’ batches); ask a regulator to, or list the batches of yours that consumed it.',
    );
  }
  if (batches.length > 0) {
    const rows: Array<{ id: string; manufacturer_id: string }> = await m.query('SELECT id, manufacturer_id FROM batches WHERE id = ANY($1::text[])', [batches]);
    const owners = new Map(rows.map((r) => [r.id, r.manufacturer_id]));
    const missing = batches.find((b) => !owners.has(b));
    if (missing) throw new DomainError('UNKNOWN_BATCH', `No batch ${missing} is registered; check its GTIN and lot.`, { batch: missing });
    if (signer.role === 'manufacturer') {
      const foreign = batches.find((b) => owners.get(b) !== signer.participantId);
      if (foreign) {
        throw new DomainError('NOT_PRODUCT_OWNER', `Batch ${foreign} was registered by another manufacturer; a voluntary recall covers only your own batches — ask a regulator to recall it.`, { batch: foreign });
      }
    }
  }
  if (lots.length > 0) {
    const rows: Array<{ id: string }> = await m.query(`SELECT id FROM custody_items WHERE id = ANY($1::text[]) AND kind = 'ingredient_lot'`, [lots]);
    const found = new Set(rows.map((r) => r.id));
    const missing = lots.find((l) => !found.has(l));
    if (missing) throw new DomainError('UNKNOWN_ITEM', `No ingredient lot ${missing} is registered; check the supplier id and lot number.`, { item: missing });
  }
}

export interface ScopeChange {
  recall: string;
  class: RecallClass;
  reason: string;
  revision: number;
  seq: number;
  /** Batches named by the event (already checked). */
  batches: string[];
  /** Ingredient lots named by the event (already checked). */
  lots: string[];
}

export interface ScopeEffect {
  /** Batches newly covered (named, or reached through a lot); ones the recall already covered are not counted. */
  batches: number;
  /** Ingredient lots newly named. */
  ingredientLots: number;
  /** Packs whose state became `recalled` (and unconsumed ingredient lots). */
  packsRecalled: number;
  lotsRecalled: number;
}

/**
 * Records what the event adds to the recall (recall_batches with via_ingredient_lot for batches reached
 * through a lot, recall_ingredient_lots) and recalls the goods of what is new. Batches and lots the recall
 * already covers are left as they were. Returns the counts.
 */
export async function coverScope(m: EntityManager, c: ScopeChange): Promise<ScopeEffect> {
  await requireWithinLimits(m, c);
  const lotRows: Array<{ id: string }> = await m.query(
    `INSERT INTO recall_ingredient_lots (recall_id, ingredient_lot_id, added_revision)
     SELECT $1, unnest($2::text[]), $3 ON CONFLICT DO NOTHING RETURNING ingredient_lot_id AS id`,
    [c.recall, c.lots, c.revision],
  );
  const newLots = lotRows.map((r) => r.id);
  // Named batches first, so that a batch both named and reached through a lot is recorded as named.
  const batchRows: Array<{ id: string }> = await m.query(
    `WITH wanted AS (
       SELECT b AS batch_id, NULL::text AS via, 0 AS rank FROM unnest($2::text[]) AS b
       UNION ALL
       SELECT bi.batch_id, bi.ingredient_lot_id, 1 FROM batch_ingredients bi WHERE bi.ingredient_lot_id = ANY($3::text[])
     ), one AS (SELECT DISTINCT ON (batch_id) batch_id, via FROM wanted ORDER BY batch_id, rank, via COLLATE "C")
     INSERT INTO recall_batches (recall_id, batch_id, via_ingredient_lot, added_revision, added_seq)
     SELECT $1, batch_id, via, $4, $5 FROM one ON CONFLICT DO NOTHING RETURNING batch_id AS id`,
    [c.recall, c.batches, newLots, c.revision, c.seq],
  );
  const newBatches = batchRows.map((r) => r.id);
  const why = `recall ${c.recall} (class ${c.class}): ${c.reason}`.slice(0, 1200);
  let packsRecalled = 0;
  if (newBatches.length > 0) {
    const [{ n }]: Array<{ n: number }> = await m.query(
      `WITH u AS (UPDATE custody_items SET state = 'recalled', state_reason = $2, updated_seq = $3
                   WHERE batch_id = ANY($1::text[]) AND kind = 'pack' AND state = ANY($4::text[]) RETURNING 1)
       SELECT count(*)::int AS n FROM u`,
      [newBatches, why, c.seq, [...RECALLABLE_PACK_STATES]],
    );
    packsRecalled = n;
  }
  let lotsRecalled = 0;
  if (newLots.length > 0) {
    const [{ n }]: Array<{ n: number }> = await m.query(
      `WITH u AS (UPDATE custody_items SET state = 'recalled', state_reason = $2, updated_seq = $3
                   WHERE id = ANY($1::text[]) AND kind = 'ingredient_lot' AND state = ANY($4::text[]) RETURNING 1)
       SELECT count(*)::int AS n FROM u`,
      [newLots, why, c.seq, RECALLABLE_LOT_STATES],
    );
    lotsRecalled = n;
  }
  return { batches: newBatches.length, ingredientLots: newLots.length, packsRecalled, lotsRecalled };
}

/**
 * Refuses, before anything is written, an event after which the recall would cover more than MAX_RECALL_BATCHES
 * batches (named, or reached through an ingredient lot, counting those it already covers once) or name more than
 * MAX_RECALL_INGREDIENT_LOTS ingredient lots: `recall(id)` lists them all, so a recall is bounded like a page.
 */
async function requireWithinLimits(m: EntityManager, c: ScopeChange): Promise<void> {
  const [n]: Array<{ lots: number; new_lots: number; batches: number; new_batches: number }> = await m.query(
    `WITH have AS (SELECT ingredient_lot_id FROM recall_ingredient_lots WHERE recall_id = $1),
          new_lots AS (SELECT l FROM unnest($3::text[]) AS l WHERE l NOT IN (SELECT ingredient_lot_id FROM have)),
          wanted AS (SELECT unnest($2::text[]) AS batch_id
                     UNION SELECT bi.batch_id FROM batch_ingredients bi WHERE bi.ingredient_lot_id IN (SELECT l FROM new_lots))
     SELECT (SELECT count(*) FROM have)::int AS lots, (SELECT count(*) FROM new_lots)::int AS new_lots,
            (SELECT count(*) FROM recall_batches WHERE recall_id = $1)::int AS batches,
            (SELECT count(*) FROM wanted w WHERE NOT EXISTS (SELECT 1 FROM recall_batches rb WHERE rb.recall_id = $1 AND rb.batch_id = w.batch_id))::int AS new_batches`,
    [c.recall, c.batches, c.lots],
  );
  const what = c.revision === 1 ? 'This recall' : `Recall ${c.recall}, which covers ${n.batches} batch(es) and names ${n.lots} ingredient lot(s),`;
  const instead = c.revision === 1 ? 'split it into several recalls' : 'start a new recall for the rest instead of amending this one';
  if (n.batches + n.new_batches > MAX_RECALL_BATCHES) {
    throw new DomainError(
      'INVALID_EVENT_DATA',
      `${what} would cover ${n.batches + n.new_batches} batches with this event (named, or reached through its ingredient lots), more than the ${MAX_RECALL_BATCHES} one recall may cover; ${instead}.`,
      { recall: c.recall, limit: MAX_RECALL_BATCHES },
    );
  }
  if (n.lots + n.new_lots > MAX_RECALL_INGREDIENT_LOTS) {
    throw new DomainError(
      'INVALID_EVENT_DATA',
      `${what} would name ${n.lots + n.new_lots} ingredient lots with this event, more than the ${MAX_RECALL_INGREDIENT_LOTS} one recall may name; ${instead}.`,
      { recall: c.recall, limit: MAX_RECALL_INGREDIENT_LOTS },
    );
  }
}
