// The per-asset hash chains as replayed: each asset's head is the last event that touched it, and the next
// event on it must cite exactly that head as its prev (null only when it creates the asset).
import type { EventEnvelope } from '@pharmatrace/ledger-core';
import { implicitAssetsOf } from '@pharmatrace/custody/custody-events';
import { AuditFailure, eventFailure } from './audit-failure';
import type { SourceEvent } from './audit-source';

export interface ReplayedHead {
  hash: string;
  seq: number;
}

export class AssetChains {
  // One entry per asset ever touched: the audit's only state that grows with the ledger's item count.
  private readonly heads = new Map<string, ReplayedHead>();

  get size(): number {
    return this.heads.size;
  }

  head(assetId: string): ReplayedHead | undefined {
    return this.heads.get(assetId);
  }

  entries(): IterableIterator<[string, ReplayedHead]> {
    return this.heads.entries();
  }

  /** The first asset whose prev is not its replayed head (or a bulk-created one that already existed). */
  checkPrev(event: EventEnvelope, seq: number, hash: string): AuditFailure | null {
    for (const id of implicitAssetsOf(event)) {
      const head = this.heads.get(id);
      if (head) return eventFailure('PREV_MISMATCH', seq, hash, `it creates asset ${id}, which event #${head.seq} (${head.hash}) already created or touched.`);
    }
    for (const asset of event.assets) {
      const head = this.heads.get(asset.id);
      const expected = head?.hash ?? null;
      if (asset.prev === expected) continue;
      const was = head ? `its head is event #${head.seq} (${head.hash})` : 'no earlier event touched it, so its prev must be null';
      return eventFailure('PREV_MISMATCH', seq, hash, `asset ${asset.id} cites prev ${asset.prev ?? 'null'}, but ${was}.`);
    }
    return null;
  }

  /** The stored event_assets rows must be exactly the envelope's assets with their prevs. */
  checkLinks(event: EventEnvelope, stored: NonNullable<SourceEvent['links']>, seq: number, hash: string): AuditFailure | null {
    const byId = new Map(stored.map((l) => [l.assetId, l.prev]));
    for (const asset of event.assets) {
      if (!byId.has(asset.id)) {
        return eventFailure('EVENT_ASSETS_MISMATCH', seq, hash, `the event touches asset ${asset.id}, but no event_assets row links it.`);
      }
      const prev = byId.get(asset.id) ?? null;
      if (prev !== asset.prev) {
        return eventFailure(
          'EVENT_ASSETS_MISMATCH',
          seq,
          hash,
          `event_assets stores prev ${prev ?? 'null'} for asset ${asset.id}, the signed event cites ${asset.prev ?? 'null'}.`,
        );
      }
      byId.delete(asset.id);
    }
    const [extra] = byId.keys();
    if (extra !== undefined) {
      return eventFailure('EVENT_ASSETS_MISMATCH', seq, hash, `event_assets links asset ${extra} to this event, but the signed event does not touch it.`);
    }
    return null;
  }

  advance(event: EventEnvelope, seq: number, hash: string): void {
    for (const asset of event.assets) this.heads.set(asset.id, { hash, seq });
    for (const id of implicitAssetsOf(event)) this.heads.set(id, { hash, seq });
  }
}
