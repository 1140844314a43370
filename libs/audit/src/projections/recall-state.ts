// Recalls as their events leave them, mirroring the apply() of libs/recalls/src/rules/*.ts: the recall row
// (initiator, class, reason, instructions, whether patients are told, state, revision, close), one revision per
// initiation, amendment and close, the ingredient lots it names, the batches it covers — named, or reached
// through a newly named lot, i.e. every batch whose catalog.batch_registered event consumed the lot before the
// recall event — and the acknowledgements holders signed. Timestamps are the server's clock, not in the events,
// and are not replayed. The stored shapes are what a RecallStateReader gives.
import { batchAssetId, CatalogEventTypes } from '@pharmatrace/custody/custody-events';
import { RecallEventTypes } from '@pharmatrace/recalls/recall-events';
import type { StoredPackState } from './pack-states-projection';

export interface StoredRecall {
  id: string;
  initiatorId: string;
  class: string;
  reason: string;
  instructions: string;
  notifyPatients: boolean;
  state: string;
  revision: number;
  initiatedSeq: number;
  closedSeq: number | null;
  closeSummary: string | null;
}

export interface StoredRecallRevision {
  recallId: string;
  revision: number;
  kind: string;
  seq: number;
  eventHash: string;
  instructions: string;
}

export interface StoredRecallLot {
  recallId: string;
  ingredientLotId: string;
  addedRevision: number;
}

export interface StoredRecallBatch {
  recallId: string;
  batchId: string;
  viaIngredientLot: string | null;
  addedRevision: number;
  addedSeq: number;
}

/** A notification row that carries an acknowledgement (its seq or hash set). */
export interface StoredAcknowledgement {
  recallId: string;
  revision: number;
  participantId: string;
  seq: number | null;
  hash: string | null;
}

export interface StoredRecalls {
  recalls: StoredRecall[];
  revisions: StoredRecallRevision[];
  ingredientLots: StoredRecallLot[];
  batches: StoredRecallBatch[];
  acknowledgements: StoredAcknowledgement[];
}

export interface RecallStateReader {
  /** Every stored recall, revision, recall ingredient lot and recall batch, and every acknowledged notification. */
  read(): Promise<StoredRecalls>;
  /**
   * For each of `batchIds` that has one, a pack of that batch (the first by id) stored in one of `states` with an
   * updated seq of at most `throughSeq`; a batch without such a pack is absent from the map.
   */
  packsInStates(batchIds: string[], states: readonly string[], throughSeq: number): Promise<Map<string, StoredPackState>>;
}

export interface ReplayedRecall extends StoredRecall {
  /** The seq of its last event. */
  lastSeq: number;
  revisions: StoredRecallRevision[];
  lots: Map<string, StoredRecallLot>;
  batches: Map<string, StoredRecallBatch>;
}

export interface ReplayedAcknowledgement extends StoredAcknowledgement {
  seq: number;
  hash: string;
}

type Data = Record<string, unknown>;
const str = (d: Data, k: string): string | null => (typeof d[k] === 'string' ? (d[k] as string) : null);
const strs = (v: unknown): string[] | null => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null);
const CLASSES = new Set(['I', 'II', 'III']);

/** PostgreSQL's COLLATE "C" order (code points), which picks the lot a batch is recorded as reached through. */
function codePointOrder(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

export const acknowledgementKey = (recallId: string, revision: number, participantId: string): string => `${recallId}\u0000${revision}\u0000${participantId}`;

/** Applies recall (and batch registration) events; each answers why the rules would refuse it, or null. */
export class RecallReplay {
  readonly recalls = new Map<string, ReplayedRecall>();
  /** Ingredient lots some recall names, with the first recall that named it. */
  private readonly recalledLots = new Map<string, string>();
  readonly acknowledgements = new Map<string, ReplayedAcknowledgement>();
  /** Batches registered so far, and the batches that consumed each ingredient lot. */
  private readonly batches = new Set<string>();
  private readonly consumers = new Map<string, Set<string>>();

  apply(type: string, actor: string, d: Data, seq: number, hash: string): string | null {
    switch (type) {
      case CatalogEventTypes.batchRegistered:
        return this.batchRegistered(d);
      case RecallEventTypes.initiated:
        return this.initiated(actor, d, seq, hash);
      case RecallEventTypes.amended:
        return this.amended(d, seq, hash);
      case RecallEventTypes.closed:
        return this.closed(d, seq, hash);
      case RecallEventTypes.acknowledged:
        return this.acknowledged(actor, d, seq, hash);
      default:
        return null;
    }
  }

  /** A batch consuming a lot some recall names was refused (INGREDIENT_LOT_RECALLED): accepted, it is a mismatch. */
  private batchRegistered(d: Data): string | null {
    const b = (typeof d.batch === 'object' && d.batch !== null ? d.batch : {}) as Data;
    const gtin = str(b, 'gtin');
    const lot = str(b, 'lot');
    if (gtin === null || lot === null) return null; // not a batch: the catalog rules' business, not replayed here
    const id = batchAssetId(gtin, lot);
    const lots = strs(d.ingredientLots) ?? [];
    const recalled = lots.find((l) => this.recalledLots.has(l));
    if (recalled !== undefined) return `batch ${id} consumes ingredient lot ${recalled}, which ${this.recalledLots.get(recalled)} recalled before`;
    this.batches.add(id);
    for (const l of lots) {
      const set = this.consumers.get(l) ?? new Set<string>();
      set.add(id);
      this.consumers.set(l, set);
    }
    return null;
  }

  private initiated(actor: string, d: Data, seq: number, hash: string): string | null {
    const id = str(d, 'recall');
    const klass = str(d, 'class');
    const reason = str(d, 'reason');
    const instructions = str(d, 'instructions');
    const batches = strs(d.batches);
    const lots = strs(d.ingredientLots);
    if (id === null || klass === null || !CLASSES.has(klass) || reason === null || instructions === null || typeof d.notifyPatients !== 'boolean' || !batches || !lots) {
      return 'its data is not a recall';
    }
    if (this.recalls.has(id)) return `recall ${id} was already initiated`;
    const unknown = batches.find((b) => !this.batches.has(b));
    if (unknown) return `no batch ${unknown} was registered`;
    const r: ReplayedRecall = {
      id,
      initiatorId: actor,
      class: klass,
      reason,
      instructions,
      notifyPatients: d.notifyPatients,
      state: 'open',
      revision: 1,
      initiatedSeq: seq,
      closedSeq: null,
      closeSummary: null,
      lastSeq: seq,
      revisions: [{ recallId: id, revision: 1, kind: 'initiated', seq, eventHash: hash, instructions }],
      lots: new Map(),
      batches: new Map(),
    };
    this.recalls.set(id, r);
    this.cover(r, batches, lots, seq);
    return null;
  }

  private open(d: Data): ReplayedRecall | string {
    const id = str(d, 'recall');
    const r = this.recalls.get(id ?? '');
    if (!r) return `no recall ${id} was initiated`;
    if (r.state !== 'open') return `recall ${r.id} was closed`;
    return r;
  }

  private amended(d: Data, seq: number, hash: string): string | null {
    const r = this.open(d);
    if (typeof r === 'string') return r;
    const batches = strs(d.addBatches);
    const lots = strs(d.addIngredientLots);
    const instructions = d.instructions === null ? r.instructions : str(d, 'instructions');
    const klass = d.class === null ? r.class : str(d, 'class');
    if (!batches || !lots || instructions === null || klass === null || !CLASSES.has(klass)) return 'its data is not a recall amendment';
    const unknown = batches.find((b) => !this.batches.has(b));
    if (unknown) return `no batch ${unknown} was registered`;
    r.revision += 1;
    r.class = klass;
    r.instructions = instructions;
    r.lastSeq = seq;
    r.revisions.push({ recallId: r.id, revision: r.revision, kind: 'amended', seq, eventHash: hash, instructions });
    this.cover(r, batches, lots, seq);
    return null;
  }

  private closed(d: Data, seq: number, hash: string): string | null {
    const r = this.open(d);
    if (typeof r === 'string') return r;
    const summary = str(d, 'summary');
    if (summary === null) return 'its data is not a recall close';
    r.revision += 1;
    r.state = 'closed';
    r.closedSeq = seq;
    r.closeSummary = summary;
    r.lastSeq = seq;
    r.revisions.push({ recallId: r.id, revision: r.revision, kind: 'closed', seq, eventHash: hash, instructions: r.instructions });
    return null;
  }

  private acknowledged(actor: string, d: Data, seq: number, hash: string): string | null {
    const id = str(d, 'recall');
    const revision = d.revision;
    const r = this.recalls.get(id ?? '');
    if (!r || typeof revision !== 'number' || !Number.isInteger(revision)) return `no recall ${id} was initiated`;
    if (revision < 1 || revision > r.revision) return `recall ${r.id} has no revision ${revision}`;
    if (r.state === 'closed' && revision !== r.revision) return `recall ${r.id} was closed at revision ${r.revision}`;
    const key = acknowledgementKey(r.id, revision, actor);
    if (this.acknowledgements.has(key)) return `${actor} already acknowledged revision ${revision} of ${r.id}`;
    this.acknowledgements.set(key, { recallId: r.id, revision, participantId: actor, seq, hash });
    return null;
  }

  /** As coverScope: new lots first; named batches recorded as named, the rest through the first new lot (code-point order). */
  private cover(r: ReplayedRecall, named: string[], lots: string[], seq: number): void {
    const newLots = [...new Set(lots)].filter((l) => !r.lots.has(l));
    for (const l of newLots) {
      r.lots.set(l, { recallId: r.id, ingredientLotId: l, addedRevision: r.revision });
      if (!this.recalledLots.has(l)) this.recalledLots.set(l, r.id);
    }
    const wanted = new Map<string, string | null>();
    for (const b of named) wanted.set(b, null);
    for (const l of newLots) {
      for (const b of this.consumers.get(l) ?? []) {
        const via = wanted.get(b);
        if (via === null) continue;
        if (via === undefined || codePointOrder(l, via) < 0) wanted.set(b, l);
      }
    }
    for (const [batchId, viaIngredientLot] of wanted) {
      if (!r.batches.has(batchId)) r.batches.set(batchId, { recallId: r.id, batchId, viaIngredientLot, addedRevision: r.revision, addedSeq: seq });
    }
  }
}
