// An append-only RFC 6962 tree that keeps only its frontier: the roots of the perfect subtrees
// that make up [0, size), largest first (one per set bit of size). Appending k leaves costs
// O(k + log n) hashes, and every node that becomes complete is handed back for storage.
import { LedgerCoreError } from './errors';
import { bitAt, isTreeSize, popcount, shiftRight } from './merkle-bits';
import { emptyRoot, MERKLE_HASH_BYTES, nodeHash, type PerfectNode } from './merkle-hash';

function isHash(h: unknown): h is Uint8Array {
  return h instanceof Uint8Array && h.length === MERKLE_HASH_BYTES;
}

export class CompactMerkleTree {
  private constructor(
    private treeSize: number,
    private readonly roots: Uint8Array[],
  ) {}

  static empty(): CompactMerkleTree {
    return new CompactMerkleTree(0, []);
  }

  /** Resumes a tree from a stored frontier (e.g. the last sealed block's). */
  static fromFrontier(size: number, frontier: Uint8Array[]): CompactMerkleTree {
    if (!isTreeSize(size)) {
      throw new LedgerCoreError('BAD_TREE_SIZE', `A tree size must be a non-negative safe integer, not ${String(size)}.`);
    }
    if (!Array.isArray(frontier) || frontier.length !== popcount(size)) {
      throw new LedgerCoreError(
        'BAD_FRONTIER',
        `A tree of size ${size} has a frontier of ${popcount(size)} hashes (one per set bit of the size), not ${Array.isArray(frontier) ? frontier.length : 'a non-list'}.`,
      );
    }
    if (!frontier.every(isHash)) {
      throw new LedgerCoreError('BAD_FRONTIER', `Every frontier hash must be ${MERKLE_HASH_BYTES} bytes.`);
    }
    return new CompactMerkleTree(size, frontier.map((h) => h.slice()));
  }

  get size(): number {
    return this.treeSize;
  }

  /** Copies, so callers cannot alter the tree through them. */
  frontier(): Uint8Array[] {
    return this.roots.map((h) => h.slice());
  }

  /**
   * Adds one leaf hash; returns the leaf (level 0) and every parent completed by it, bottom up.
   * Bit k of the old size says whether a complete level-k subtree waits on the left to merge.
   */
  append(leafHash: Uint8Array): PerfectNode[] {
    if (!isHash(leafHash)) {
      throw new LedgerCoreError('BAD_LEAF_HASH', `A leaf hash must be ${MERKLE_HASH_BYTES} bytes.`);
    }
    if (this.treeSize >= Number.MAX_SAFE_INTEGER) {
      throw new LedgerCoreError('BAD_TREE_SIZE', 'The tree cannot grow beyond 2^53 - 1 leaves.');
    }
    const n = this.treeSize;
    let hash: Uint8Array = leafHash.slice();
    const completed: PerfectNode[] = [{ level: 0, index: n, hash }];
    for (let level = 0; bitAt(n, level) === 1; level++) {
      hash = nodeHash(this.roots.pop() as Uint8Array, hash);
      completed.push({ level: level + 1, index: shiftRight(n, level + 1), hash });
    }
    this.roots.push(hash.slice());
    this.treeSize = n + 1;
    return completed;
  }

  /** RFC 6962 root: the frontier folded right to left (smaller subtrees hang off the right). */
  root(): Uint8Array {
    if (this.roots.length === 0) return emptyRoot();
    let hash = this.roots[this.roots.length - 1];
    for (let i = this.roots.length - 2; i >= 0; i--) hash = nodeHash(this.roots[i], hash);
    return hash.slice();
  }
}
