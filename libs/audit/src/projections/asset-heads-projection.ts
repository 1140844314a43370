// Asset heads: the stored head of every asset must be the last event that touched it. The engine keeps
// the replayed chains itself (each prev is checked against them), so this projection only compares.
import type { AuditFailure } from '../audit-failure';
import type { AssetChains, ReplayedHead } from '../asset-chains';
import type { StateProjection } from '../audit-source';

export interface StoredHead {
  assetId: string;
  hash: string;
  /** The head's sequence number, when the source gives it. */
  seq?: number;
}

export interface AssetHeadStateReader {
  /** Every stored head, a page at a time (a database); absent when a source can only look heads up. */
  pages?(): AsyncIterable<StoredHead[]>;
  /** The stored heads of the given assets; an asset without a head is absent from the map. */
  lookup(assetIds: string[]): Promise<Map<string, StoredHead>>;
}

const LOOKUP_BATCH = 100;

function differs(s: StoredHead, r: ReplayedHead): boolean {
  return s.hash !== r.hash || (s.seq !== undefined && s.seq !== r.seq);
}

function mismatch(assetId: string, why: string): AuditFailure {
  return { code: 'ASSET_HEAD_MISMATCH', where: `asset ${assetId}`, why };
}

function wrongHead(s: StoredHead, r: ReplayedHead): AuditFailure {
  const stored = s.seq === undefined ? s.hash : `event #${s.seq} (${s.hash})`;
  return mismatch(s.assetId, `its stored head is ${stored}, but the last event on it is #${r.seq} (${r.hash}).`);
}

export class AssetHeadsProjection implements StateProjection {
  readonly name = 'asset heads';

  constructor(
    private readonly chains: AssetChains,
    private readonly stored?: AssetHeadStateReader,
  ) {}

  apply(): AuditFailure | null {
    return null; // the engine advances the chains after checking each prev
  }

  async compare(): Promise<AuditFailure | null> {
    const reader = this.stored;
    if (!reader) return null;
    if (reader.pages) {
      let matched = 0;
      for await (const page of reader.pages()) {
        for (const s of page) {
          const r = this.chains.head(s.assetId);
          if (!r) return mismatch(s.assetId, `a head is stored (${s.seq === undefined ? s.hash : `event #${s.seq}`}), but no event in the log touches this asset.`);
          if (differs(s, r)) return wrongHead(s, r);
          matched++;
        }
      }
      // Every stored head matched; only an asset with no stored head at all can be left.
      if (matched === this.chains.size) return null;
    }
    return this.lookupAll(reader);
  }

  private async lookupAll(reader: AssetHeadStateReader): Promise<AuditFailure | null> {
    let batch: Array<[string, ReplayedHead]> = [];
    const check = async (): Promise<AuditFailure | null> => {
      const found = await reader.lookup(batch.map(([id]) => id));
      for (const [id, r] of batch) {
        const s = found.get(id);
        if (!s) return mismatch(id, `event #${r.seq} touched it last, but no head is stored.`);
        if (differs(s, r)) return wrongHead(s, r);
      }
      batch = [];
      return null;
    };
    for (const entry of this.chains.entries()) {
      batch.push(entry);
      if (batch.length === LOOKUP_BATCH) {
        const failure = await check();
        if (failure) return failure;
      }
    }
    return batch.length > 0 ? check() : null;
  }
}
