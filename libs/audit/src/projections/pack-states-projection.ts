// Pack states set by dispensing: a supply makes its packs `supplied`, a decommission makes them its kind
// (sample, free_sample, locked, exported), an undo makes them `active` again (libs/dispensing/src/rules/*.ts,
// each setting the pack's updated_seq to its own seq). The stored state of every pack these events touched
// is compared with the last of them. Other events change pack states too (custody disposals, quarantine,
// shipments); they are not replayed here, so a pack whose stored row a later event updated (its stored
// updated_seq is after the last dispensing event on it, within the log) is left out of the comparison.
import { DispensingEventTypes } from '@pharmatrace/dispensing/dispensing-events';
import type { AuditFailure } from '../audit-failure';
import type { ReplayedEvent, StateProjection } from '../audit-source';

export interface StoredPackState {
  id: string;
  state: string;
  updatedSeq: number;
}

export interface PackStateReader {
  /** The stored state of the given packs; a pack not stored is absent from the map. */
  lookup(ids: string[]): Promise<Map<string, StoredPackState>>;
}

interface ReplayedPackState {
  state: string;
  seq: number;
}

const LOOKUP_BATCH = 1000;

const packsOf = (d: Record<string, unknown>): string[] => (Array.isArray(d.packs) ? d.packs.filter((p): p is string => typeof p === 'string') : []);

function mismatch(id: string, why: string): AuditFailure {
  return { code: 'PACK_STATE_MISMATCH', where: `pack ${id}`, why };
}

export class PackStatesProjection implements StateProjection {
  readonly name = 'dispensed and decommissioned pack states';
  private readonly packs = new Map<string, ReplayedPackState>();
  private lastSeq = 0;

  constructor(private readonly stored?: PackStateReader) {}

  apply({ event, seq }: ReplayedEvent): AuditFailure | null {
    this.lastSeq = seq;
    const d = (typeof event.data === 'object' && event.data !== null ? event.data : {}) as Record<string, unknown>;
    let state: string | null = null;
    if (event.type === DispensingEventTypes.supplied) state = 'supplied';
    else if (event.type === DispensingEventTypes.decommissioned) state = typeof d.kind === 'string' ? d.kind : null;
    else if (event.type === DispensingEventTypes.undone) state = 'active';
    if (state === null) return null;
    for (const id of packsOf(d)) this.packs.set(id, { state, seq });
    return null;
  }

  async compare(): Promise<AuditFailure | null> {
    const reader = this.stored;
    if (!reader) return null;
    const entries = [...this.packs.entries()];
    for (let i = 0; i < entries.length; i += LOOKUP_BATCH) {
      const batch = entries.slice(i, i + LOOKUP_BATCH);
      const found = await reader.lookup(batch.map(([id]) => id));
      for (const [id, r] of batch) {
        const s = found.get(id);
        if (!s) return mismatch(id, `event #${r.seq} made it ${r.state}, but it is not stored.`);
        // A later event of another kind (a disposal, a quarantine, a shipment) updated it: not judged here.
        if (s.updatedSeq > r.seq && s.updatedSeq <= this.lastSeq) continue;
        if (s.state !== r.state) return mismatch(id, `its state is stored as "${s.state}", but event #${r.seq}, the last dispensing event on it, makes it "${r.state}".`);
        if (s.updatedSeq !== r.seq) return mismatch(id, `its updated seq is stored as ${s.updatedSeq}, but the last event on it is #${r.seq}.`);
      }
    }
    return null;
  }
}
