// recall.closed: the recall is over (FDA 21 CFR 7.55: terminated once all reasonable effort has been made to
// remove or correct the product). Closing puts nothing back on sale — recalled is final (DESIGN.md "Pack
// states") — and a closed recall is no longer amended or acknowledged.
import { EventEnvelope } from '@pharmatrace/ledger-core';
import { EventDataReader, EventRule } from '@pharmatrace/ledger';
import { RecallClosedData, RecallEventTypes } from '../recall-events';
import { insertRevision, requireSteerableRecall } from './recall-record';
import { readRecallId, readRecallText, requireRecallAssetOnly } from './recall-scope';

/**
 * Data (v 1): `{ recall, summary (≤ 1,000 chars, one line: no control or bidi-formatting character) }`. Assets: `[{ id: recall, prev: head }]`.
 * Who: a regulator, or the manufacturer that initiated the recall while it covers only that manufacturer's
 * batches (once a regulator added another's batch, a regulator steers it: FORBIDDEN_ROLE).
 * Refusals: UNKNOWN_RECALL (missing or hidden), FORBIDDEN_ROLE, RECALL_CLOSED, INVALID_EVENT_DATA.
 * Result: `{ recall, revision, state: "closed" }`.
 */
export const recallClosedRule: EventRule<RecallClosedData> = {
  type: RecallEventTypes.closed,
  roles: ['regulator', 'manufacturer'],
  parse(event) {
    const r = EventDataReader.of(event.data);
    r.version([1]);
    const recall = readRecallId(r);
    const summary = readRecallText(r, 'summary');
    r.done();
    requireRecallAssetOnly(event.assets, recall);
    return { ...event, data: { v: 1, recall, summary } } as EventEnvelope<RecallClosedData>;
  },
  async apply({ manager: m, event, hash, seq, signer, now }) {
    const { recall, summary } = event.data;
    const row = await requireSteerableRecall(m, signer, recall, 'close');
    const revision = row.revision + 1;
    await m.query(
      `UPDATE recalls SET state = 'closed', revision = $2, closed_seq = $3, closed_at = $4, close_summary = $5 WHERE id = $1`,
      [recall, revision, seq, now, summary],
    );
    await insertRevision(m, { recall, revision, kind: 'closed', seq, hash, at: now, instructions: row.instructions });
    return { recall, revision, state: 'closed' };
  },
};
