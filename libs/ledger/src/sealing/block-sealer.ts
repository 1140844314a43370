// Seals the log into blocks: the unsealed events, in sequence order, become leaves of the one global
// RFC 6962 tree, and a header signed by the ledger key (and chained to the previous one) records the
// new tree head. One transaction per block under an advisory lock: exactly one sealer at a time, and a
// sealer killed mid-way leaves nothing behind — the next one produces the same block.
import { DataSource, EntityManager } from 'typeorm';
import { BlockHeader, blockHeaderHash, CompactMerkleTree, fromHex, leafHash, PerfectNode, rootPlan, signBlockHeader, toHex } from '@pharmatrace/ledger-core';
import { LedgerKey, publishLedgerKey } from './ledger-key';
import { MerkleNodeStore } from './merkle-node.store';
import { BlockStore } from './block.store';

export const SEAL_LOCK = 7_402_002;

export interface SealedBlock {
  height: number;
  firstSeq: number;
  lastSeq: number;
  treeSize: number;
  rootHash: string;
}

export class BlockSealer {
  private readonly nodes = new MerkleNodeStore();
  private readonly blocks = new BlockStore();

  constructor(
    private readonly dataSource: DataSource,
    private readonly key: LedgerKey,
    private readonly maxBlockEvents: number,
  ) {}

  /** Publishes the ledger's public key so that anyone can verify headers signed with it. */
  async registerKey(): Promise<void> {
    await publishLedgerKey(this.dataSource, this.key);
  }

  /** Seals until no unsealed event is left (or another sealer holds the lock). */
  async sealPending(): Promise<SealedBlock[]> {
    const sealed: SealedBlock[] = [];
    for (;;) {
      const block = await this.sealOne();
      if (!block) return sealed;
      sealed.push(block);
    }
  }

  /** Seals at most one block; null when there is nothing to seal or another sealer is at work. */
  sealOne(): Promise<SealedBlock | null> {
    return this.dataSource.transaction(async (m) => {
      const [{ locked }]: Array<{ locked: boolean }> = await m.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [SEAL_LOCK]);
      if (!locked) return null;
      return this.sealUnderLock(m);
    });
  }

  private async sealUnderLock(m: EntityManager): Promise<SealedBlock | null> {
    const latest = await this.blocks.latest(m);
    const afterSeq = latest?.header.lastSeq ?? 0;
    const events: Array<{ seq: string; hash: string }> = await m.query('SELECT seq, hash FROM ledger_events WHERE seq > $1 ORDER BY seq LIMIT $2', [
      afterSeq,
      this.maxBlockEvents,
    ]);
    if (events.length === 0) return null;
    events.forEach((e, i) => {
      if (Number(e.seq) !== afterSeq + 1 + i) throw new Error(`The event log has a gap before seq ${e.seq}; refusing to seal (run the audit).`);
    });

    const size = latest?.header.treeSize ?? 0;
    if (size !== afterSeq) throw new Error(`Tree size ${size} does not match the last sealed seq ${afterSeq}; refusing to seal (run the audit).`);
    const frontierRefs = rootPlan(size);
    const lookup = await this.nodes.fetch(m, frontierRefs);
    const tree = CompactMerkleTree.fromFrontier(size, frontierRefs.map((r) => lookup(r.level, r.index)));
    const completed: PerfectNode[] = [];
    for (const e of events) completed.push(...tree.append(leafHash(fromHex(e.hash))));
    await this.nodes.insert(m, completed);

    const header: BlockHeader = {
      height: (latest?.header.height ?? 0) + 1,
      prevHeaderHash: latest?.headerHash ?? null,
      treeSize: tree.size,
      rootHash: toHex(tree.root()),
      firstSeq: afterSeq + 1,
      lastSeq: afterSeq + events.length,
      sealedAt: new Date().toISOString(),
    };
    const signed = signBlockHeader(header, this.key.secretKey);
    await this.blocks.insert(m, { ...signed, headerHash: blockHeaderHash(header) });
    return { height: header.height, firstSeq: header.firstSeq, lastSeq: header.lastSeq, treeSize: header.treeSize, rootHash: header.rootHash };
  }
}
