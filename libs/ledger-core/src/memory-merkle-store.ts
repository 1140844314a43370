// An in-memory node store with the same shape a database store has: perfect subtrees keyed by
// (level, index), written once when complete, read back through proof plans. For tests and tools.
import { CompactMerkleTree } from './compact-merkle-tree';
import { LedgerCoreError } from './errors';
import { isTreeSize } from './merkle-bits';
import type { PerfectNode } from './merkle-hash';
import { consistencyProofPlan, foldSubtrees, inclusionProofPlan, resolveProofPlan, rootPlan } from './merkle-proofs';

export class MemoryMerkleStore {
  private readonly tree = CompactMerkleTree.empty();
  /** levels[level][index] = hash of that perfect subtree. */
  private readonly levels: Uint8Array[][] = [];

  /** Appends a leaf hash and stores every node it completes; returns them as a database would write them. */
  append(leafHash: Uint8Array): PerfectNode[] {
    const completed = this.tree.append(leafHash);
    for (const node of completed) {
      while (this.levels.length <= node.level) this.levels.push([]);
      this.levels[node.level][node.index] = node.hash.slice();
    }
    return completed;
  }

  get size(): number {
    return this.tree.size;
  }

  root(): Uint8Array {
    return this.tree.root();
  }

  /** Root of the tree as it was when it had `size` leaves, from stored nodes only. */
  rootAt(size: number): Uint8Array {
    this.assertWithin(size);
    return foldSubtrees(rootPlan(size), this.lookup);
  }

  node(level: number, index: number): Uint8Array {
    return this.lookup(level, index).slice();
  }

  inclusionProof(leafIndex: number, treeSize: number): Uint8Array[] {
    this.assertWithin(treeSize);
    return resolveProofPlan(inclusionProofPlan(leafIndex, treeSize), this.lookup);
  }

  consistencyProof(size1: number, size2: number): Uint8Array[] {
    this.assertWithin(size2);
    return resolveProofPlan(consistencyProofPlan(size1, size2), this.lookup);
  }

  private readonly lookup = (level: number, index: number): Uint8Array => {
    const hash = this.levels[level]?.[index];
    if (hash === undefined) {
      throw new LedgerCoreError('MISSING_NODE', `Tree node (level ${level}, index ${index}) is not stored.`);
    }
    return hash;
  };

  private assertWithin(size: number): void {
    if (!isTreeSize(size) || size > this.tree.size) {
      throw new LedgerCoreError('BAD_PROOF_REQUEST', `Tree size ${String(size)} is beyond the ${this.tree.size} leaves stored.`);
    }
  }
}
