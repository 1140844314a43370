// Undo of a supply or another decommission (EU FMD "undo"): only by the participant that signed it (the
// same location), within the configured window from its acceptance (EU: 10 days; locked has no limit, its
// undo is the unlock), never for stolen or destroyed, never once the pack was recalled or its batch
// expired. The packs are active again; undoing a supply gives the prescription its packs back (an
// exhausted one is active again). A multi-pack decommission may be undone pack by pack, each pack once.
import { EventEnvelope } from '@pharmatrace/ledger-core';
import { EventDataReader, EventRule } from '@pharmatrace/ledger';
import { DomainError } from '@pharmatrace/errors';
import { CustodyEventTypes } from '@pharmatrace/custody/custody-events';
import { requireItems, setState } from '@pharmatrace/custody/custody-item.store';
import { prescriptionAssetId } from '@pharmatrace/prescriptions/prescription-events';
import { recallNoticesOfBatches, recallSentence } from '@pharmatrace/recalls/recall-facts';
import { DECOMMISSIONING_ROLES, DispensingEventTypes, EVENT_HASH_PATTERN, undoDeadline, UndoableKind, UndoneData } from '../dispensing-events';
import { readPacks } from './parse-packs';

/** Decommissions that are final: the custody events, never undone. */
const FINAL_TYPES: ReadonlySet<string> = new Set([CustodyEventTypes.destroyed, CustodyEventTypes.reportedStolen, CustodyEventTypes.reportedLost]);

interface DecommissionRow {
  participant_id: string;
  kind: UndoableKind;
  prescription_id: string | null;
  at: Date;
}

export function undoneRule(undoDays: number): EventRule<UndoneData> {
  return {
    type: DispensingEventTypes.undone,
    roles: DECOMMISSIONING_ROLES,
    parse(event) {
      const r = EventDataReader.of(event.data);
      r.version([1]);
      const undoes = r.string('undoes', { max: 64, pattern: EVENT_HASH_PATTERN, hint: 'must be the hash (64 lowercase hex characters) of the dispensing.supplied or dispensing.decommissioned event to undo' });
      const packs = readPacks(r, event);
      r.done();
      return { ...event, data: { v: 1, undoes, packs } } as EventEnvelope<UndoneData>;
    },
    async apply({ manager: m, event, seq, signer, now }) {
      const { undoes, packs } = event.data;
      const items = await requireItems(m, packs);
      const notYours = () =>
        new DomainError('NOT_DECOMMISSIONED_BY_YOU', `You signed no supply or decommission ${undoes}; only the participant that decommissioned packs may undo it.`, { undoes });
      const rows: DecommissionRow[] = await m.query('SELECT participant_id, kind, prescription_id, at FROM decommissions WHERE event_hash = $1 FOR UPDATE', [undoes]);
      const d = rows[0];
      if (!d) {
        const own: Array<{ type: string }> = await m.query('SELECT type FROM ledger_events WHERE hash = $1 AND actor = $2', [undoes, signer.participantId]);
        if (own[0] && FINAL_TYPES.has(own[0].type)) {
          throw new DomainError('UNDO_NOT_ALLOWED', `Event ${undoes} is ${own[0].type}: destroyed, stolen and lost are final and cannot be undone.`, { undoes });
        }
        throw notYours();
      }
      if (d.participant_id !== signer.participantId) throw notYours();

      const covered: Array<{ pack_id: string; undone_seq: string | null }> = await m.query(
        'SELECT pack_id, undone_seq FROM decommissioned_packs WHERE event_hash = $1 AND pack_id = ANY($2::text[])',
        [undoes, packs],
      );
      const byPack = new Map(covered.map((c) => [c.pack_id, c.undone_seq]));
      const today = now.toISOString().slice(0, 10);
      // A pack supplied before its batch was recalled keeps its state, but must never go back on sale.
      const recalls = await recallNoticesOfBatches(m, items.map((i) => i.batchId).filter((b): b is string => b !== null));
      for (const item of items) {
        if (!byPack.has(item.id)) throw new DomainError('INVALID_EVENT_DATA', `${item.id} is not one of the packs event ${undoes} decommissioned.`, { item: item.id });
        if (byPack.get(item.id) !== null) throw new DomainError('ALREADY_UNDONE', `${item.id} was already put back by an earlier undo of ${undoes}.`, { item: item.id });
        const recall = item.batchId === null ? undefined : recalls.get(item.batchId);
        if (recall) {
          throw new DomainError('RECALLED', `${item.id} cannot be put back on sale: ${recallSentence(recall)}`, { item: item.id, recall: recall.id });
        }
        if (item.state === 'recalled') throw new DomainError('RECALLED', `${item.id} was recalled since it was decommissioned; it cannot be put back on sale.`, { item: item.id });
        if (item.state === 'expired' || (item.expiresOn !== null && item.expiresOn < today)) {
          throw new DomainError('EXPIRED', `${item.id} expired${item.expiresOn ? ` on ${item.expiresOn}` : ''}; it cannot be put back on sale.`, { item: item.id });
        }
        if (item.state !== d.kind) {
          throw new DomainError('UNDO_NOT_ALLOWED', `${item.id} is now ${item.state}, no longer ${d.kind.replace('_', ' ')}; that cannot be undone.`, { item: item.id });
        }
      }
      const deadline = undoDeadline(d.kind, new Date(d.at), undoDays);
      if (deadline !== null && now > deadline) {
        throw new DomainError(
          'UNDO_WINDOW_PASSED',
          `A ${d.kind.replace('_', ' ')} decommission can be undone for ${undoDays} day(s); the time to undo ${undoes} ended at ${deadline.toISOString()}.`,
          { undoes, deadline: deadline.toISOString() },
        );
      }

      await setState(m, packs, 'active', null, seq);
      await m.query('UPDATE decommissioned_packs SET undone_seq = $3 WHERE event_hash = $1 AND pack_id = ANY($2::text[])', [undoes, packs, seq]);
      const result: Record<string, string | number> = { undone: packs.length, kind: d.kind };
      if (d.prescription_id !== null) {
        await m.query(
          `UPDATE prescriptions SET remaining = remaining + $2, state = CASE WHEN state = 'exhausted' THEN 'active' ELSE state END, updated_seq = $3 WHERE id = $1`,
          [d.prescription_id, packs.length, seq],
        );
        const [rx]: Array<{ remaining: number }> = await m.query('SELECT remaining FROM prescriptions WHERE id = $1', [d.prescription_id]);
        result.prescription = prescriptionAssetId(d.prescription_id);
        result.remaining = rx.remaining;
      }
      return result;
    },
  };
}
