// RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency) proof verification, following the
// reference implementation in github.com/transparency-dev/merkle. Never throws: anything malformed
// is simply not a proof.
import { bytesEqual } from './encoding';
import { bitAt, bitLength, isTreeSize, popcount, shiftRight, trailingZeros } from './merkle-bits';
import { MERKLE_HASH_BYTES, nodeHash } from './merkle-hash';

function isHash(h: unknown): h is Uint8Array {
  return h instanceof Uint8Array && h.length === MERKLE_HASH_BYTES;
}

function isProof(proof: unknown): proof is Uint8Array[] {
  return Array.isArray(proof) && proof.every(isHash);
}

/** Split of an inclusion path into `inner` levels (below the border) and `border` left siblings. */
function decomposeInclusion(index: number, size: number): { inner: number; border: number } {
  // bitLength(index XOR (size-1)), computed without 32-bit operators.
  let inner = 0;
  const last = size - 1;
  for (let level = bitLength(Math.max(index, last)); level > 0; level--) {
    if (bitAt(index, level - 1) !== bitAt(last, level - 1)) {
      inner = level;
      break;
    }
  }
  return { inner, border: popcount(shiftRight(index, inner)) };
}

/** Hashes `seed` with the inner proof hashes, the side at each level taken from `index`. */
function chainInner(seed: Uint8Array, proof: Uint8Array[], index: number): Uint8Array {
  let hash = seed;
  proof.forEach((h, level) => {
    hash = bitAt(index, level) === 0 ? nodeHash(hash, h) : nodeHash(h, hash);
  });
  return hash;
}

/** Like chainInner, but only the levels where the path turns left (the old tree's view). */
function chainInnerRight(seed: Uint8Array, proof: Uint8Array[], index: number): Uint8Array {
  let hash = seed;
  proof.forEach((h, level) => {
    if (bitAt(index, level) === 1) hash = nodeHash(h, hash);
  });
  return hash;
}

function chainBorderRight(seed: Uint8Array, proof: Uint8Array[]): Uint8Array {
  let hash = seed;
  for (const h of proof) hash = nodeHash(h, hash);
  return hash;
}

/** Recomputes the root from an inclusion proof; null when the proof has the wrong shape. */
export function rootFromInclusionProof(
  leafHash: Uint8Array,
  leafIndex: number,
  treeSize: number,
  proof: Uint8Array[],
): Uint8Array | null {
  if (!isTreeSize(treeSize) || !isTreeSize(leafIndex) || leafIndex >= treeSize) return null;
  if (!isHash(leafHash) || !isProof(proof)) return null;
  const { inner, border } = decomposeInclusion(leafIndex, treeSize);
  if (proof.length !== inner + border) return null;
  const hash = chainInner(leafHash, proof.slice(0, inner), leafIndex);
  return chainBorderRight(hash, proof.slice(inner));
}

export function verifyInclusion(
  leafHash: Uint8Array,
  leafIndex: number,
  treeSize: number,
  proof: Uint8Array[],
  root: Uint8Array,
): boolean {
  try {
    if (!isHash(root)) return false;
    const computed = rootFromInclusionProof(leafHash, leafIndex, treeSize, proof);
    return computed !== null && bytesEqual(computed, root);
  } catch {
    return false;
  }
}

export function verifyConsistency(
  size1: number,
  size2: number,
  proof: Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): boolean {
  try {
    if (!isTreeSize(size1) || !isTreeSize(size2) || !Array.isArray(proof)) return false;
    // Nothing is proved against the empty tree, and an empty tree has no later state to check.
    if (size1 === 0 || size2 < size1) return false;
    if (!(root1 instanceof Uint8Array) || !(root2 instanceof Uint8Array)) return false;
    // Same tree: no proof, and the roots must be the same bytes (the reference implementation and
    // its vectors compare them without insisting on a hash length).
    if (size1 === size2) return proof.length === 0 && bytesEqual(root1, root2);
    if (!isHash(root1) || !isHash(root2) || !isProof(proof) || proof.length === 0) return false;

    // The proof starts at the largest perfect subtree ending at size1; its root is either the
    // old root itself (size1 a power of two) or the first proof hash.
    const decomposition = decomposeInclusion(size1 - 1, size2);
    const shift = trailingZeros(size1);
    const inner = decomposition.inner - shift;
    const seedIsRoot1 = size1 === 2 ** shift;
    const seed = seedIsRoot1 ? root1 : proof[0];
    const rest = seedIsRoot1 ? proof : proof.slice(1);
    if (rest.length !== inner + decomposition.border) return false;

    const mask = shiftRight(size1 - 1, shift);
    const hash1 = chainBorderRight(chainInnerRight(seed, rest.slice(0, inner), mask), rest.slice(inner));
    if (!bytesEqual(hash1, root1)) return false;
    const hash2 = chainBorderRight(chainInner(seed, rest.slice(0, inner), mask), rest.slice(inner));
    return bytesEqual(hash2, root2);
  } catch {
    return false;
  }
}
