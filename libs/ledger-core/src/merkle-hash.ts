// RFC 6962 hashing: leaf = SHA-256(0x00 ‖ data), node = SHA-256(0x01 ‖ left ‖ right).
// The distinct prefixes stop a leaf from ever being passed off as an inner node.
import { sha256 } from '@noble/hashes/sha2.js';

export const MERKLE_HASH_BYTES = 32;

/** A perfect subtree covering leaves [index·2^level, (index+1)·2^level); level 0 = leaf hashes. */
export interface NodeRef {
  level: number;
  index: number;
}

export interface PerfectNode extends NodeRef {
  hash: Uint8Array;
}

const LEAF_PREFIX = new Uint8Array([0]);

export function leafHash(data: Uint8Array): Uint8Array {
  return sha256.create().update(LEAF_PREFIX).update(data).digest();
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  const input = new Uint8Array(1 + left.length + right.length);
  input[0] = 1;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return sha256(input);
}

export function emptyRoot(): Uint8Array {
  return sha256(new Uint8Array(0));
}

/**
 * MTH from RFC 6962 §2.1, written as the recursive definition on purpose: it is the reference
 * the incremental tree and the proofs are tested against, not the fast path.
 */
export function merkleRoot(leafHashes: Uint8Array[]): Uint8Array {
  if (leafHashes.length === 0) return emptyRoot();
  return subtreeRoot(leafHashes, 0, leafHashes.length);
}

function subtreeRoot(leaves: Uint8Array[], start: number, end: number): Uint8Array {
  const n = end - start;
  if (n === 1) return leaves[start];
  let k = 1;
  while (k * 2 < n) k *= 2;
  return nodeHash(subtreeRoot(leaves, start, start + k), subtreeRoot(leaves, start + k, end));
}
