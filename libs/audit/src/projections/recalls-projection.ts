// Recalls: every recall replayed from its events (recall-state.ts) compared at the end with the stored recall,
// its revisions, ingredient lots and batches and the acknowledgements on its notifications; then the goods: no
// pack of a covered batch may still be stored in a state a recall turns into `recalled` (RECALLABLE_PACK_STATES:
// a recall leaves only supplied, destroyed, stolen, lost, exported and sample packs as they are, and nothing
// brings a recalled pack back). One query per page of covered batches, never one per pack; a pack whose stored
// row a later event than the log's end updated is not judged (as in pack-states-projection.ts).
import { RECALLABLE_PACK_STATES } from '@pharmatrace/recalls/recall-events';
import { AuditFailure, eventFailure } from '../audit-failure';
import type { ReplayedEvent, StateProjection } from '../audit-source';
import {
  acknowledgementKey, RecallReplay, RecallStateReader, ReplayedRecall, StoredAcknowledgement, StoredRecall, StoredRecallBatch, StoredRecallLot, StoredRecallRevision, StoredRecalls,
} from './recall-state';

const PACK_QUERY_BATCHES = 500;

const show = (v: unknown): string => (v === null || v === undefined ? 'null' : typeof v === 'string' ? `"${v}"` : String(v));

function firstDifference<T>(fields: Array<[keyof T & string, string]>, stored: T, replayed: T): string | null {
  for (const [key, name] of fields) {
    if (stored[key] === replayed[key]) continue;
    return `${name} is stored as ${show(stored[key])}, but the events make it ${show(replayed[key])}`;
  }
  return null;
}

const RECALL_FIELDS: Array<[keyof StoredRecall & string, string]> = [
  ['initiatorId', 'initiator'],
  ['class', 'class'],
  ['reason', 'reason'],
  ['instructions', 'instructions'],
  ['notifyPatients', 'notify patients'],
  ['state', 'state'],
  ['revision', 'revision'],
  ['initiatedSeq', 'initiated seq'],
  ['closedSeq', 'closed seq'],
  ['closeSummary', 'close summary'],
];
const REVISION_FIELDS: Array<[keyof StoredRecallRevision & string, string]> = [
  ['kind', 'its kind'],
  ['seq', 'its seq'],
  ['eventHash', 'its event hash'],
  ['instructions', 'its instructions'],
];
const LOT_FIELDS: Array<[keyof StoredRecallLot & string, string]> = [['addedRevision', 'the revision that added it']];
const BATCH_FIELDS: Array<[keyof StoredRecallBatch & string, string]> = [
  ['viaIngredientLot', 'the ingredient lot it was reached through'],
  ['addedRevision', 'the revision that added it'],
  ['addedSeq', 'its added seq'],
];

const mismatch = (recallId: string, why: string): AuditFailure => ({ code: 'RECALL_MISMATCH', where: `recall ${recallId}`, why });

/** Stored rows of one kind, keyed, so that each replayed one is found and what is left over is extra. */
function keyed<T>(rows: T[], key: (r: T) => string): Map<string, T> {
  return new Map(rows.map((r) => [key(r), r]));
}

export class RecallsProjection implements StateProjection {
  readonly name = 'recalls and recalled packs';
  private readonly replay = new RecallReplay();
  private lastSeq = 0;

  constructor(private readonly stored?: RecallStateReader) {}

  apply({ event, seq, hash }: ReplayedEvent): AuditFailure | null {
    this.lastSeq = seq;
    const d = (typeof event.data === 'object' && event.data !== null ? event.data : {}) as Record<string, unknown>;
    const why = this.replay.apply(event.type, event.actor, d, seq, hash);
    return why === null ? null : eventFailure('EVENT_NOT_APPLICABLE', seq, hash, `the recall rules would have refused it: ${why}.`);
  }

  async compare(): Promise<AuditFailure | null> {
    if (!this.stored) return null;
    return this.compareRecalls(await this.stored.read()) ?? (await this.comparePacks(this.stored));
  }

  private compareRecalls(s: StoredRecalls): AuditFailure | null {
    const recalls = keyed(s.recalls, (r) => r.id);
    const revisions = keyed(s.revisions, (r) => `${r.recallId}\u0000${r.revision}`);
    const lots = keyed(s.ingredientLots, (l) => `${l.recallId}\u0000${l.ingredientLotId}`);
    const batches = keyed(s.batches, (b) => `${b.recallId}\u0000${b.batchId}`);
    for (const r of this.replay.recalls.values()) {
      const failure = this.compareOne(r, recalls, revisions, lots, batches);
      if (failure) return failure;
    }
    const [extraRecall] = recalls.values();
    if (extraRecall) return mismatch(extraRecall.id, 'it is stored, but no event initiated it.');
    const [extraRevision] = revisions.values();
    if (extraRevision) return mismatch(extraRevision.recallId, `revision ${extraRevision.revision} is stored, but no event made it.`);
    const [extraLot] = lots.values();
    if (extraLot) return mismatch(extraLot.recallId, `ingredient lot ${extraLot.ingredientLotId} is stored among its lots, but no event names it.`);
    const [extraBatch] = batches.values();
    if (extraBatch) return mismatch(extraBatch.recallId, `batch ${extraBatch.batchId} is stored among its batches, but no event covers it.`);
    return this.compareAcknowledgements(s.acknowledgements);
  }

  private compareOne(
    r: ReplayedRecall,
    recalls: Map<string, StoredRecall>,
    revisions: Map<string, StoredRecallRevision>,
    lots: Map<string, StoredRecallLot>,
    batches: Map<string, StoredRecallBatch>,
  ): AuditFailure | null {
    const stored = recalls.get(r.id);
    if (!stored) return mismatch(r.id, `event #${r.initiatedSeq} initiated it, but it is not stored.`);
    recalls.delete(r.id);
    const diff = firstDifference(RECALL_FIELDS, stored, r);
    if (diff) return mismatch(r.id, `${diff} (its last event is #${r.lastSeq}).`);
    for (const rev of r.revisions) {
      const key = `${r.id}\u0000${rev.revision}`;
      const s = revisions.get(key);
      if (!s) return mismatch(r.id, `revision ${rev.revision} is not stored, but event #${rev.seq} made it.`);
      revisions.delete(key);
      const d = firstDifference(REVISION_FIELDS, s, rev);
      if (d) return mismatch(r.id, `of revision ${rev.revision}, ${d} (event #${rev.seq}).`);
    }
    for (const lot of r.lots.values()) {
      const key = `${r.id}\u0000${lot.ingredientLotId}`;
      const s = lots.get(key);
      if (!s) return mismatch(r.id, `ingredient lot ${lot.ingredientLotId} is not stored among its lots, but revision ${lot.addedRevision} names it.`);
      lots.delete(key);
      const d = firstDifference(LOT_FIELDS, s, lot);
      if (d) return mismatch(r.id, `of ingredient lot ${lot.ingredientLotId}, ${d}.`);
    }
    for (const batch of r.batches.values()) {
      const key = `${r.id}\u0000${batch.batchId}`;
      const s = batches.get(key);
      const how = batch.viaIngredientLot === null ? 'names it' : `reaches it through ingredient lot ${batch.viaIngredientLot}`;
      if (!s) return mismatch(r.id, `batch ${batch.batchId} is not stored among its batches, but event #${batch.addedSeq} ${how}.`);
      batches.delete(key);
      const d = firstDifference(BATCH_FIELDS, s, batch);
      if (d) return mismatch(r.id, `of batch ${batch.batchId}, ${d}.`);
    }
    return null;
  }

  private compareAcknowledgements(stored: StoredAcknowledgement[]): AuditFailure | null {
    const byKey = keyed(stored, (a) => acknowledgementKey(a.recallId, a.revision, a.participantId));
    for (const [key, a] of this.replay.acknowledgements) {
      const s = byKey.get(key);
      const whose = `${a.participantId}'s acknowledgement of revision ${a.revision}`;
      if (!s) return mismatch(a.recallId, `${whose} is not stored, but event #${a.seq} signed it.`);
      byKey.delete(key);
      if (s.seq !== a.seq || s.hash !== a.hash) {
        return mismatch(a.recallId, `${whose} is stored as event #${s.seq ?? 'none'} (hash ${s.hash ?? 'none'}), but it is event #${a.seq} (hash ${a.hash}).`);
      }
    }
    const [extra] = byKey.values();
    if (extra) return mismatch(extra.recallId, `${extra.participantId}'s acknowledgement of revision ${extra.revision} is stored (event #${extra.seq ?? 'none'}), but no event signed it.`);
    return null;
  }

  /** The first pack of a covered batch still stored in a state the recall would have changed. */
  private async comparePacks(reader: RecallStateReader): Promise<AuditFailure | null> {
    const coveredBy = new Map<string, { recall: string; seq: number }>();
    for (const r of this.replay.recalls.values()) {
      for (const b of r.batches.values()) if (!coveredBy.has(b.batchId)) coveredBy.set(b.batchId, { recall: r.id, seq: b.addedSeq });
    }
    const ids = [...coveredBy.keys()];
    for (let i = 0; i < ids.length; i += PACK_QUERY_BATCHES) {
      const page = ids.slice(i, i + PACK_QUERY_BATCHES);
      const found = await reader.packsInStates(page, RECALLABLE_PACK_STATES, this.lastSeq);
      for (const batchId of page) {
        const pack = found.get(batchId);
        if (!pack) continue;
        const by = coveredBy.get(batchId)!;
        return {
          code: 'RECALLED_PACK_MISMATCH',
          where: `pack ${pack.id}`,
          why: `its state is stored as "${pack.state}", but recall ${by.recall} covers its batch ${batchId} since event #${by.seq}, which makes every pack of it still in the chain "recalled" (only supplied, destroyed, stolen, lost, exported and sample packs keep their state).`,
        };
      }
    }
    return null;
  }
}
