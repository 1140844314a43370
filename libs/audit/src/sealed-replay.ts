// The tree and the blocks as replayed: sealed events become leaves of one RFC 6962 tree, every perfect
// subtree it completes is compared with the stored node, and each block is checked when the tree reaches
// its size. Events after the last block are queued (a live source may seal them while we read).
import { BlockHeader, bytesEqual, CompactMerkleTree, fromHex, leafHash, NodeRef, PerfectNode, toHex, verifyHeaderLink, type SignatureVerifier } from '@pharmatrace/ledger-core';
import { AuditFailure, AuditHead, blockFailure, eventFailure } from './audit-failure';
import { AuditSource, nodeKey, SourceBlock } from './audit-source';
import { checkBlock, LedgerKeyring } from './block-checks';

const BLOCK_PAGE = 500;

/** The perfect subtrees that appending leaf `index` completes: the leaf, then each parent it closes. */
export function nodesCompletedBy(index: number): NodeRef[] {
  const refs: NodeRef[] = [{ level: 0, index }];
  for (let level = 1, span = 2; (index + 1) % span === 0; level++, span *= 2) refs.push({ level, index: (index + 1) / span - 1 });
  return refs;
}

export interface SealedEnd {
  failure: AuditFailure | null;
  /** A live source sealed events this audit has not read yet: read on before judging. */
  behind: boolean;
}

export class SealedReplay {
  private readonly tree = CompactMerkleTree.empty();
  private readonly buffered: SourceBlock[] = [];
  private blocksExhausted = false;
  private lastFetchedHeight = 0;
  private sealedThrough = 0;
  private pending: Array<{ seq: number; hash: string }> = [];
  private stored = new Map<string, Uint8Array>();
  private prevHeader: BlockHeader | null = null;
  private uncounted = 0;
  blocksChecked = 0;
  head: AuditHead | null = null;

  constructor(
    private readonly source: AuditSource,
    private readonly keys: LedgerKeyring,
    private readonly verifier: SignatureVerifier,
  ) {}

  /** Events after the last block: checked for everything but the tree. */
  get unsealed(): number {
    return this.uncounted + this.pending.length;
  }

  /** Reads blocks until one seals `seq` or none is left. */
  async fetchBlocksThrough(seq: number): Promise<void> {
    while (this.sealedThrough < seq && !this.blocksExhausted) {
      const page = await this.source.blocks(this.lastFetchedHeight, BLOCK_PAGE);
      if (page.length === 0) this.blocksExhausted = true;
      for (const b of page) {
        this.buffered.push(b);
        this.lastFetchedHeight = Math.max(this.lastFetchedHeight, b.header.height);
        this.sealedThrough = Math.max(this.sealedThrough, b.header.lastSeq);
      }
    }
  }

  /** Fetches, in one round trip, the stored nodes that the sealed ones among `seqs` will complete. */
  async prefetchNodes(seqs: number[]): Promise<void> {
    if (!this.source.merkleNodes) return;
    const refs = seqs.filter((s) => s <= this.sealedThrough).flatMap((s) => nodesCompletedBy(s - 1));
    this.stored = refs.length > 0 ? await this.source.merkleNodes(refs) : new Map();
  }

  /** Adds a replayed event's leaf once a known block seals it, checking nodes and due blocks. */
  add(seq: number, hash: string): AuditFailure | null {
    if (seq > this.sealedThrough && this.blocksExhausted && !this.source.live) {
      this.uncounted++; // a snapshot will never seal it: no need to keep its hash
      return null;
    }
    this.pending.push({ seq, hash });
    return this.drain();
  }

  private drain(): AuditFailure | null {
    let taken = 0;
    let failure: AuditFailure | null = null;
    for (const { seq, hash } of this.pending) {
      if (seq > this.sealedThrough) break;
      taken++;
      const completed = this.tree.append(leafHash(fromHex(hash)));
      failure = this.compareNodes(completed, seq, hash) ?? this.checkDueBlocks();
      if (failure) break;
    }
    this.pending = this.pending.slice(taken);
    return failure;
  }

  private compareNodes(completed: PerfectNode[], seq: number, hash: string): AuditFailure | null {
    if (!this.source.merkleNodes) return null;
    const height = this.buffered[0]?.header.height;
    for (const node of completed) {
      const stored = this.stored.get(nodeKey(node.level, node.index));
      if (node.level === 0) {
        if (!stored) return eventFailure('TREE_NODE_MISSING', seq, hash, `its leaf (tree node level 0, index ${node.index}) is not stored, though block ${height} seals it.`);
        if (!bytesEqual(stored, node.hash)) {
          return eventFailure('LEAF_MISMATCH', seq, hash, `the stored leaf (level 0, index ${node.index}) is ${toHex(stored)}, but the event's leaf hash is ${toHex(node.hash)}.`);
        }
        continue;
      }
      const span = 2 ** node.level;
      const covers = `events #${node.index * span + 1}–#${(node.index + 1) * span}`;
      const where = `tree node (level ${node.level}, index ${node.index}) in block ${height}`;
      if (!stored) return { code: 'TREE_NODE_MISSING', where, why: `the node over ${covers} is not stored.`, height };
      if (!bytesEqual(stored, node.hash)) {
        return { code: 'TREE_NODE_MISMATCH', where, why: `the stored node over ${covers} is ${toHex(stored)}, but its leaves give ${toHex(node.hash)}.`, height };
      }
    }
    return null;
  }

  private checkDueBlocks(): AuditFailure | null {
    while (this.buffered.length > 0 && this.buffered[0].header.lastSeq <= this.tree.size) {
      const block = this.buffered.shift() as SourceBlock;
      const rootHex = toHex(this.tree.root());
      const failure = checkBlock(block, this.prevHeader, { size: this.tree.size, rootHex }, this.keys, this.verifier);
      if (failure) return failure;
      this.prevHeader = block.header;
      this.blocksChecked++;
      this.head = { height: block.header.height, rootHash: block.header.rootHash, treeSize: block.header.treeSize };
    }
    return null;
  }

  /** After the last event read: blocks the log cannot account for, and stored nodes beyond the last block. */
  async finish(lastSeq: number): Promise<SealedEnd> {
    if (this.source.live) {
      this.blocksExhausted = false;
      await this.fetchBlocksThrough(lastSeq);
      await this.prefetchNodes(this.pending.map((p) => p.seq));
      const failure = this.drain();
      if (failure) return { failure, behind: false };
    }
    const next = this.buffered[0] ?? (await this.source.blocks(this.lastFetchedHeight, 1))[0];
    if (next) {
      // A live log may have grown since its last page was read: only a block beyond what it now holds is wrong.
      if (this.source.live && next.header.lastSeq > lastSeq && (await this.source.events(lastSeq, 1)).length > 0) return { failure: null, behind: true };
      return { failure: this.blockBeyondLog(next, lastSeq), behind: false };
    }
    if (this.source.firstNodeBeyond) {
      const node = await this.source.firstNodeBeyond(this.tree.size);
      if (node) return { failure: this.nodeBeyondTree(node), behind: false };
    }
    return { failure: null, behind: false };
  }

  private blockBeyondLog(block: SourceBlock, lastSeq: number): AuditFailure {
    const h = block.header;
    const expected = (this.prevHeader?.height ?? 0) + 1;
    if (h.height > expected) return blockFailure('BLOCK_MISSING', expected, `no block ${expected} is stored; the next stored block is ${h.height}.`);
    const link = verifyHeaderLink(this.prevHeader, h);
    if (!link.ok) return blockFailure('BLOCK_LINK_BROKEN', h.height, `${link.code}: ${link.message}`);
    return blockFailure('BLOCK_BEYOND_LOG', h.height, `it seals events #${h.firstSeq}–#${h.lastSeq}, but the log ends at #${lastSeq}.`);
  }

  private nodeBeyondTree(node: NodeRef): AuditFailure {
    const size = this.tree.size;
    const last = this.head ? `the last stored block (${this.head.height}) seals the log up to #${size}` : 'no block is stored';
    if (node.level === 0) {
      const height = (this.head?.height ?? 0) + 1;
      return blockFailure('BLOCK_MISSING', height, `tree nodes are stored for event #${node.index + 1} and later, but ${last}: the block that sealed them is gone.`);
    }
    return { code: 'TREE_NODE_EXTRA', where: `tree node (level ${node.level}, index ${node.index})`, why: `it lies outside the tree of ${size} leaves: ${last}.` };
  }
}
