// recall.initiated: a regulator (or a manufacturer, for a voluntary recall of its own batches — FDA 21 CFR
// 7.46) recalls batches and ingredient lots with a class (21 CFR 7.3(m)), a reason and instructions to holders.
// Every pack of the covered batches still in the chain becomes `recalled` at once (DESIGN.md "Recalls and
// tracing"); holders are notified by the worker from the revision row written here.
import { EventEnvelope } from '@pharmatrace/ledger-core';
import { EventDataReader, EventRule } from '@pharmatrace/ledger';
import { DomainError } from '@pharmatrace/errors';
import { RecallEventTypes, RecallInitiatedData } from '../recall-events';
import { insertRevision } from './recall-record';
import { checkNamedScope, coverScope, readBatches, readClass, readIngredientLots, readInstructions, readRecallId, readRecallText, requireRecallAssetOnly } from './recall-scope';

/**
 * Data (v 1): `{ recall: "recall:<id>", class: "I"|"II"|"III", reason (≤ 1,000 chars, one line), instructions (≤ 2,000,
 * not blank; line feeds and tabs allowed), notifyPatients: boolean, batches: ["batch:<GTIN-14>/<lot>", …] (≤ 1,000, distinct),
 * ingredientLots: ["ingredient-lot:<supplier>/<lot>", …] (≤ 100, distinct) }`, at least one batch or lot.
 * Assets: exactly `[{ id: recall, prev: null }]`; a taken id answers ALREADY_REGISTERED.
 *
 * Refusals: INVALID_EVENT_DATA (shape), UNKNOWN_BATCH, UNKNOWN_ITEM (ingredient lot), NOT_PRODUCT_OWNER (a
 * manufacturer naming another's batch), FORBIDDEN_ROLE (a manufacturer naming ingredient lots).
 * Result: `{ recall, batches, packsRecalled, revision: 1 }` — batches counts those reached through a lot too.
 */
export const recallInitiatedRule: EventRule<RecallInitiatedData> = {
  type: RecallEventTypes.initiated,
  roles: ['regulator', 'manufacturer'],
  parse(event) {
    const r = EventDataReader.of(event.data);
    r.version([1]);
    const recall = readRecallId(r);
    const klass = readClass(r);
    const reason = readRecallText(r, 'reason');
    const instructions = readInstructions(r);
    const notifyPatients = r.boolean('notifyPatients');
    const batches = readBatches(r, 'batches');
    const ingredientLots = readIngredientLots(r, 'ingredientLots');
    r.done();
    if (batches.length === 0 && ingredientLots.length === 0) {
      throw new DomainError('INVALID_EVENT_DATA', 'A recall must name at least one batch (data.batches) or ingredient lot (data.ingredientLots).');
    }
    requireRecallAssetOnly(event.assets, recall);
    return { ...event, data: { v: 1, recall, class: klass, reason, instructions, notifyPatients, batches, ingredientLots } } as EventEnvelope<RecallInitiatedData>;
  },
  createdAssets: (event) => [event.data.recall],
  alreadyRegistered: (id) => `Recall ${id} already exists; choose another recall id (or amend that recall).`,
  async apply({ manager: m, event, hash, seq, signer, now }) {
    const d = event.data;
    await checkNamedScope(m, signer, d.batches, d.ingredientLots);
    await m.query(
      `INSERT INTO recalls (id, initiator_id, class, reason, instructions, notify_patients, state, revision, initiated_seq, initiated_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'open', 1, $7, $8)`,
      [d.recall, signer.participantId, d.class, d.reason, d.instructions, d.notifyPatients, seq, now],
    );
    await insertRevision(m, { recall: d.recall, revision: 1, kind: 'initiated', seq, hash, at: now, instructions: d.instructions });
    const effect = await coverScope(m, { recall: d.recall, class: d.class, reason: d.reason, revision: 1, seq, batches: d.batches, lots: d.ingredientLots });
    return { recall: d.recall, batches: effect.batches, packsRecalled: effect.packsRecalled, revision: 1 };
  },
};
