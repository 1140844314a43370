// Proof plans: which stored perfect subtrees make up each hash of an RFC 6962 / RFC 9162 proof.
// Plans are pure arithmetic, so a database can fetch every node a proof needs in one query
// (O(log n) rows) and no proof ever recomputes a subtree from its leaves.
import { LedgerCoreError } from './errors';
import { bitLength, isTreeSize, perfectSubtrees, pow2, shiftRight, trailingZeros } from './merkle-bits';
import { emptyRoot, MERKLE_HASH_BYTES, nodeHash, type NodeRef } from './merkle-hash';

/**
 * One entry per proof hash. An entry lists the perfect subtrees, left to right, whose right-to-left
 * fold gives that hash: a single node when the sibling subtree is perfect, several when it is the
 * truncated right border of the tree.
 */
export type ProofPlan = NodeRef[][];

export type NodeLookup = (level: number, index: number) => Uint8Array;

function badRequest(message: string): LedgerCoreError {
  return new LedgerCoreError('BAD_PROOF_REQUEST', message);
}

/** The perfect subtrees whose fold is the root of the tree of `treeSize` leaves (none for 0). */
export function rootPlan(treeSize: number): NodeRef[] {
  if (!isTreeSize(treeSize)) throw badRequest(`A tree size must be a non-negative safe integer, not ${String(treeSize)}.`);
  return perfectSubtrees(0, treeSize);
}

/**
 * The siblings met walking from the level-`fromLevel` ancestor of `leafIndex` up to the root of a
 * tree of `treeSize` leaves. A sibling that starts beyond the tree does not exist in RFC 6962's
 * unbalanced tree (the node is promoted instead), so it contributes no proof hash.
 */
function pathPlan(leafIndex: number, fromLevel: number, treeSize: number): ProofPlan {
  const plan: ProofPlan = [];
  const height = bitLength(treeSize - 1);
  for (let level = fromLevel; level < height; level++) {
    const node = shiftRight(leafIndex, level);
    const sibling = node % 2 === 0 ? node + 1 : node - 1;
    const start = sibling * pow2(level);
    if (start >= treeSize) continue;
    plan.push(perfectSubtrees(start, Math.min(start + pow2(level), treeSize)));
  }
  return plan;
}

/** RFC 9162 §2.1.3.1 inclusion proof of leaf `leafIndex` in the tree of `treeSize` leaves. */
export function inclusionProofPlan(leafIndex: number, treeSize: number): ProofPlan {
  if (!isTreeSize(treeSize) || !isTreeSize(leafIndex) || leafIndex >= treeSize) {
    throw badRequest(`An inclusion proof needs 0 ≤ leafIndex < treeSize; got leafIndex ${String(leafIndex)}, treeSize ${String(treeSize)}.`);
  }
  return pathPlan(leafIndex, 0, treeSize);
}

/**
 * RFC 9162 §2.1.4.1 consistency proof from `size1` to `size2`. size1 = 0 is refused: nothing is
 * proved against the empty tree, and verifiers refuse such proofs (see verifyConsistency).
 * The proof is the inclusion path of leaf size1-1 from the level of the largest perfect subtree
 * ending at size1, preceded by that subtree's root unless it is the whole old tree.
 */
export function consistencyProofPlan(size1: number, size2: number): ProofPlan {
  if (!isTreeSize(size1) || !isTreeSize(size2) || size1 < 1 || size1 > size2) {
    throw badRequest(`A consistency proof needs 0 < size1 ≤ size2; got size1 ${String(size1)}, size2 ${String(size2)}.`);
  }
  if (size1 === size2) return [];
  const shift = trailingZeros(size1);
  const seed: NodeRef = { level: shift, index: size1 / pow2(shift) - 1 };
  const plan: ProofPlan = size1 === pow2(shift) ? [] : [[seed]];
  return plan.concat(pathPlan(size1 - 1, shift, size2));
}

/** Every node a plan needs, each once, in first-use order. */
export function nodesOfPlan(plan: ProofPlan): NodeRef[] {
  const seen = new Set<string>();
  const out: NodeRef[] = [];
  for (const entry of plan) {
    for (const ref of entry) {
      const key = `${ref.level}:${ref.index}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ level: ref.level, index: ref.index });
    }
  }
  return out;
}

/** Folds a list of perfect subtrees right to left into one hash (empty list → empty-tree root). */
export function foldSubtrees(refs: NodeRef[], lookup: NodeLookup): Uint8Array {
  if (refs.length === 0) return emptyRoot();
  // Copied so a caller holding the result cannot alter the store's own bytes.
  let hash: Uint8Array = fetch(refs[refs.length - 1], lookup).slice();
  for (let i = refs.length - 2; i >= 0; i--) hash = nodeHash(fetch(refs[i], lookup), hash);
  return hash;
}

function fetch(ref: NodeRef, lookup: NodeLookup): Uint8Array {
  const hash = lookup(ref.level, ref.index);
  if (!(hash instanceof Uint8Array) || hash.length !== MERKLE_HASH_BYTES) {
    throw new LedgerCoreError('MISSING_NODE', `Tree node (level ${ref.level}, index ${ref.index}) is not stored.`);
  }
  return hash;
}

export function resolveProofPlan(plan: ProofPlan, lookup: NodeLookup): Uint8Array[] {
  return plan.map((entry) => foldSubtrees(entry, lookup));
}
