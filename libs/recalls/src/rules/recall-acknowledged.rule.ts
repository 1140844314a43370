// recall.acknowledged: a holder confirms, signed, that it received a recall revision it was notified of (the
// notification rows are written by the worker, libs/notifications). The event touches no asset: many holders
// acknowledge at once, and none of them may move the recall's chain.
import { EventEnvelope } from '@pharmatrace/ledger-core';
import { EventDataReader, EventRule } from '@pharmatrace/ledger';
import { DomainError } from '@pharmatrace/errors';
import { unknownRecall } from '../recall-errors';
import { RecallAcknowledgedData, RecallEventTypes } from '../recall-events';
import { readRecallId } from './recall-scope';

interface NotificationRow {
  revision: number;
  acknowledged_seq: string | null;
  state: 'open' | 'closed';
  /** The recall's latest revision (the close, once closed). */
  latest: number;
}

/**
 * Data (v 1): `{ recall, revision (integer ≥ 1) }`. Assets: `[]`.
 * Who: the holders a recall reaches (supplier, manufacturer, wholesaler, pharmacy), for a revision they were
 * notified of. Once the recall is closed only the close itself (its last revision) is acknowledged: the earlier
 * ones have nothing left to act on. Refusals, in this order: UNKNOWN_RECALL (no notification of this recall at
 * all: it answers like a recall that does not exist), RECALL_CLOSED (an earlier revision of a closed recall),
 * NOT_NOTIFIED (notified of other revisions, not this one), ALREADY_ACKNOWLEDGED.
 * Result: `{ recall, revision, acknowledged: true }`.
 */
export const recallAcknowledgedRule: EventRule<RecallAcknowledgedData> = {
  type: RecallEventTypes.acknowledged,
  roles: ['supplier', 'manufacturer', 'wholesaler', 'pharmacy'],
  parse(event) {
    const r = EventDataReader.of(event.data);
    r.version([1]);
    const recall = readRecallId(r);
    const revision = r.integer('revision', { min: 1, max: 1_000_000 });
    r.done();
    if (event.assets.length !== 0) throw new DomainError('INVALID_EVENT_DATA', 'A recall.acknowledged event lists no assets (assets: []).');
    return { ...event, data: { v: 1, recall, revision } } as EventEnvelope<RecallAcknowledgedData>;
  },
  async apply({ manager: m, event, hash, seq, signer, now }) {
    const { recall, revision } = event.data;
    const rows: NotificationRow[] = await m.query(
      `SELECT n.revision, n.acknowledged_seq, r.state, r.revision AS latest FROM recall_notifications n JOIN recalls r ON r.id = n.recall_id
        WHERE n.recall_id = $1 AND n.participant_id = $2 ORDER BY n.revision FOR UPDATE OF n`,
      [recall, signer.participantId],
    );
    if (rows.length === 0) throw unknownRecall(recall);
    const { state, latest } = rows[0];
    if (state === 'closed' && revision !== latest) {
      throw new DomainError('RECALL_CLOSED', `Recall ${recall} was closed at revision ${latest}; revision ${revision} has nothing left to acknowledge (acknowledge the close, revision ${latest}, if you were notified of it).`, { recall, revision });
    }
    const mine = rows.find((n) => n.revision === revision);
    if (!mine) {
      const revisions = rows.map((n) => n.revision).join(', ');
      throw new DomainError('NOT_NOTIFIED', `You were notified of revision(s) ${revisions} of ${recall}, not of revision ${revision}; acknowledge one of those.`, { recall, revision });
    }
    if (mine.acknowledged_seq !== null) {
      throw new DomainError('ALREADY_ACKNOWLEDGED', `You already acknowledged revision ${revision} of ${recall} (event #${mine.acknowledged_seq}); nothing more is needed.`, { recall, revision });
    }
    await m.query(
      `UPDATE recall_notifications SET acknowledged_seq = $4, acknowledged_hash = $5, acknowledged_at = $6
        WHERE recall_id = $1 AND revision = $2 AND participant_id = $3`,
      [recall, revision, signer.participantId, seq, hash, now],
    );
    return { recall, revision, acknowledged: true };
  },
};
