// recall.amended: widens a recall (more batches, more ingredient lots with every batch that consumed them),
// replaces its instructions or changes its class (e.g. escalated from II to I). Each amendment is a new
// revision that holders are notified of. Recalls only grow: nothing is ever taken out of one.
import { EventEnvelope } from '@pharmatrace/ledger-core';
import { EventDataReader, EventRule } from '@pharmatrace/ledger';
import { DomainError } from '@pharmatrace/errors';
import { MAX_RECALL_REVISIONS, RecallAmendedData, RecallClass, RecallEventTypes } from '../recall-events';
import { insertRevision, requireSteerableRecall } from './recall-record';
import { checkNamedScope, coverScope, readBatches, readClass, readIngredientLots, readInstructions, readRecallId, requireRecallAssetOnly } from './recall-scope';

/**
 * Data (v 1): `{ recall, addBatches: [batch ids] (≤ 1,000), addIngredientLots: [ingredient lot ids] (≤ 100),
 * instructions: string (≤ 2,000) | null, class: "I"|"II"|"III" | null }`. Assets: `[{ id: recall, prev: head }]`.
 *
 * Who: a regulator any recall; a manufacturer only a voluntary recall it initiated, only with its own batches,
 * and only while the recall covers none but its own (FDA 21 CFR 7.46: once a regulator added another
 * manufacturer's batch, a regulator steers it). Batches and lots the recall already covers are ignored; an
 * amendment that would change nothing at all (every batch and lot already covered, and no new instructions or
 * class) is refused with INVALID_EVENT_DATA, so that no revision is sent to holders for nothing. So is one past
 * the limits of a recall (MAX_RECALL_BATCHES batches, MAX_RECALL_INGREDIENT_LOTS lots, MAX_RECALL_REVISIONS
 * revisions with the close): start a new recall instead.
 *
 * Refusals: UNKNOWN_RECALL (missing, or hidden from the signer), FORBIDDEN_ROLE, RECALL_CLOSED, UNKNOWN_BATCH,
 * UNKNOWN_ITEM, NOT_PRODUCT_OWNER, INVALID_EVENT_DATA.
 * Result: `{ recall, revision, batches (newly covered), packsRecalled, class, instructionsChanged }`.
 */
/** A field sent as null: read (so `done` accepts it) and kept as the recall's current value. */
function keep(r: EventDataReader, key: string): null {
  r.optionalString(key);
  return null;
}

export const recallAmendedRule: EventRule<RecallAmendedData> = {
  type: RecallEventTypes.amended,
  roles: ['regulator', 'manufacturer'],
  parse(event) {
    const r = EventDataReader.of(event.data);
    r.version([1]);
    const recall = readRecallId(r);
    const addBatches = readBatches(r, 'addBatches');
    const addIngredientLots = readIngredientLots(r, 'addIngredientLots');
    // Both must be present: a value, or null to keep the current one.
    const raw = event.data as Record<string, unknown>;
    const instructions = raw.instructions === null ? keep(r, 'instructions') : readInstructions(r);
    const klass: RecallClass | null = raw.class === null ? keep(r, 'class') : readClass(r);
    r.done();
    if (addBatches.length === 0 && addIngredientLots.length === 0 && instructions === null && klass === null) {
      throw new DomainError('INVALID_EVENT_DATA', 'An amendment must add a batch or ingredient lot, or give new instructions or a new class; this one changes nothing.');
    }
    requireRecallAssetOnly(event.assets, recall);
    return { ...event, data: { v: 1, recall, addBatches, addIngredientLots, instructions, class: klass } } as EventEnvelope<RecallAmendedData>;
  },
  async apply({ manager: m, event, hash, seq, signer, now }) {
    const d = event.data;
    const row = await requireSteerableRecall(m, signer, d.recall, 'amend');
    await checkNamedScope(m, signer, d.addBatches, d.addIngredientLots);
    const revision = row.revision + 1;
    // The last revision is kept for the close, so that every recall can still be closed.
    if (revision >= MAX_RECALL_REVISIONS) {
      throw new DomainError(
        'INVALID_EVENT_DATA',
        `Recall ${d.recall} has ${row.revision} revisions, and one recall holds at most ${MAX_RECALL_REVISIONS} with its close; it cannot be amended again. Start a new recall for further changes (and close this one).`,
        { recall: d.recall, limit: MAX_RECALL_REVISIONS },
      );
    }
    const klass = d.class ?? row.class;
    const instructions = d.instructions ?? row.instructions;
    const effect = await coverScope(m, { recall: d.recall, class: klass, reason: row.reason, revision, seq, batches: d.addBatches, lots: d.addIngredientLots });
    const instructionsChanged = instructions !== row.instructions;
    if (effect.batches === 0 && effect.ingredientLots === 0 && !instructionsChanged && klass === row.class) {
      throw new DomainError(
        'INVALID_EVENT_DATA',
        `Recall ${d.recall} already covers every batch and ingredient lot this amendment names, with the same instructions and class; there is nothing to amend.`,
        { recall: d.recall },
      );
    }
    await m.query('UPDATE recalls SET revision = $2, class = $3, instructions = $4 WHERE id = $1', [d.recall, revision, klass, instructions]);
    await insertRevision(m, { recall: d.recall, revision, kind: 'amended', seq, hash, at: now, instructions });
    return { recall: d.recall, revision, batches: effect.batches, packsRecalled: effect.packsRecalled, class: klass, instructionsChanged };
  },
};
