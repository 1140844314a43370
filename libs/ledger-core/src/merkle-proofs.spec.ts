import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toHex, utf8 } from './encoding';
import { LedgerCoreError } from './errors';
import {
  consistencyProofPlan,
  foldSubtrees,
  inclusionProofPlan,
  leafHash,
  MemoryMerkleStore,
  merkleRoot,
  nodeHash,
  nodesOfPlan,
  resolveProofPlan,
  rootPlan,
  verifyConsistency,
  verifyInclusion,
} from './merkle';

const MAX = 64;
const leaves = Array.from({ length: MAX }, (_, i) => leafHash(utf8(`leaf ${i}`)));
const store = new MemoryMerkleStore();
for (const leaf of leaves) store.append(leaf);
const roots = Array.from({ length: MAX + 1 }, (_, n) => merkleRoot(leaves.slice(0, n)));

// RFC 6962 §2.1.1 PATH(m, D[n]) and §2.1.2 PROOF/SUBPROOF, transcribed literally as references.
function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function referencePath(m: number, d: Uint8Array[]): Uint8Array[] {
  if (d.length <= 1) return [];
  const k = largestPowerOfTwoBelow(d.length);
  if (m < k) return [...referencePath(m, d.slice(0, k)), merkleRoot(d.slice(k))];
  return [...referencePath(m - k, d.slice(k)), merkleRoot(d.slice(0, k))];
}

function referenceSubproof(m: number, d: Uint8Array[], b: boolean): Uint8Array[] {
  const n = d.length;
  if (m === n) return b ? [] : [merkleRoot(d)];
  const k = largestPowerOfTwoBelow(n);
  if (m <= k) return [...referenceSubproof(m, d.slice(0, k), b), merkleRoot(d.slice(k))];
  return [...referenceSubproof(m - k, d.slice(k), false), merkleRoot(d.slice(0, k))];
}

const hexes = (list: Uint8Array[]): string[] => list.map(toHex);

function flip(list: Uint8Array[], i: number): Uint8Array[] {
  return list.map((h, j) => {
    if (j !== i) return h;
    const copy = h.slice();
    copy[0] ^= 1;
    return copy;
  });
}

describe('inclusion proofs, every index of every tree size 1..64', () => {
  it('match RFC 6962 PATH and verify; a wrong leaf, index, size, root or proof does not', () => {
    for (let n = 1; n <= MAX; n++) {
      for (let i = 0; i < n; i++) {
        const proof = store.inclusionProof(i, n);
        assert.deepEqual(hexes(proof), hexes(referencePath(i, leaves.slice(0, n))), `PATH(${i}, ${n})`);
        assert.equal(verifyInclusion(leaves[i], i, n, proof, roots[n]), true, `verify(${i}, ${n})`);
        assert.equal(verifyInclusion(leaves[(i + 1) % MAX], i, n, proof, roots[n]), false);
        if (n > 1) assert.equal(verifyInclusion(leaves[i], (i + 1) % n, n, proof, roots[n]), false);
        assert.equal(verifyInclusion(leaves[i], i, n + 1, proof, roots[n + 1] ?? roots[n]), false);
        assert.equal(verifyInclusion(leaves[i], i, n, proof, roots[n - 1]), false);
        for (let j = 0; j < proof.length; j++) assert.equal(verifyInclusion(leaves[i], i, n, flip(proof, j), roots[n]), false);
        assert.equal(verifyInclusion(leaves[i], i, n, [...proof, roots[n]], roots[n]), false);
        if (proof.length > 0) assert.equal(verifyInclusion(leaves[i], i, n, proof.slice(1), roots[n]), false);
      }
    }
  });

  it('need only O(log n) stored nodes each', () => {
    for (let n = 1; n <= MAX; n++) {
      for (let i = 0; i < n; i++) {
        const nodes = nodesOfPlan(inclusionProofPlan(i, n));
        assert.ok(nodes.length <= 2 * Math.ceil(Math.log2(n)) + 1, `${nodes.length} nodes for (${i}, ${n})`);
      }
    }
  });
});

describe('consistency proofs, every pair 1 ≤ m ≤ n ≤ 64', () => {
  it('match RFC 6962 PROOF and verify; swapped roots, wrong sizes or altered proofs do not', () => {
    for (let n = 1; n <= MAX; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = store.consistencyProof(m, n);
        assert.deepEqual(hexes(proof), hexes(m === n ? [] : referenceSubproof(m, leaves.slice(0, n), true)), `PROOF(${m}, ${n})`);
        assert.equal(verifyConsistency(m, n, proof, roots[m], roots[n]), true, `verify(${m}, ${n})`);
        if (m === n) continue;
        assert.equal(verifyConsistency(m, n, proof, roots[n], roots[m]), false);
        assert.equal(verifyConsistency(m, n, proof, roots[m - 1], roots[n]), false);
        assert.equal(verifyConsistency(m, n, proof, roots[m], roots[n - 1]), false);
        if (m > 1) assert.equal(verifyConsistency(m - 1, n, proof, roots[m - 1], roots[n]), false);
        assert.equal(verifyConsistency(m, n + 1, proof, roots[m], roots[n + 1] ?? roots[n]), false);
        for (let j = 0; j < proof.length; j++) assert.equal(verifyConsistency(m, n, flip(proof, j), roots[m], roots[n]), false);
        assert.equal(verifyConsistency(m, n, [...proof, roots[n]], roots[m], roots[n]), false);
        assert.equal(verifyConsistency(m, n, proof.slice(0, -1), roots[m], roots[n]), false);
      }
    }
  });
});

describe('proof plans', () => {
  it('deduplicate nodes and resolve through any lookup', () => {
    const plan = [[{ level: 1, index: 0 }], [{ level: 1, index: 0 }, { level: 0, index: 2 }]];
    assert.deepEqual(nodesOfPlan(plan), [{ level: 1, index: 0 }, { level: 0, index: 2 }]);
    const resolved = resolveProofPlan(plan, (level, index) => store.node(level, index));
    assert.deepEqual(hexes(resolved), hexes([store.node(1, 0), nodeHash(store.node(1, 0), store.node(0, 2))]));
    assert.equal(toHex(foldSubtrees(rootPlan(7), (l, i) => store.node(l, i))), toHex(roots[7]));
    assert.equal(toHex(foldSubtrees(rootPlan(0), (l, i) => store.node(l, i))), toHex(roots[0]));
  });

  it('refuse impossible requests with BAD_PROOF_REQUEST', () => {
    const bad: Array<() => unknown> = [
      () => inclusionProofPlan(0, 0),
      () => inclusionProofPlan(5, 5),
      () => inclusionProofPlan(-1, 5),
      () => inclusionProofPlan(1.5, 5),
      () => inclusionProofPlan(0, Number.MAX_SAFE_INTEGER + 1),
      () => consistencyProofPlan(0, 5),
      () => consistencyProofPlan(6, 5),
      () => consistencyProofPlan(1, NaN),
      () => rootPlan(-1),
      () => store.inclusionProof(0, MAX + 1),
      () => store.consistencyProof(1, MAX + 1),
      () => store.rootAt(MAX + 1),
    ];
    for (const fn of bad) assert.throws(fn, (e: unknown) => e instanceof LedgerCoreError && e.code === 'BAD_PROOF_REQUEST');
  });

  it('report a node the store does not have with MISSING_NODE', () => {
    assert.throws(() => resolveProofPlan(inclusionProofPlan(0, 4), () => new Uint8Array(0)), (e: unknown) => e instanceof LedgerCoreError && e.code === 'MISSING_NODE');
    assert.throws(() => store.node(0, MAX), (e: unknown) => e instanceof LedgerCoreError && e.code === 'MISSING_NODE');
  });

  it('work for trees far beyond 2^32 leaves', () => {
    // With every leaf equal, a perfect subtree's hash depends only on its level, which gives a
    // consistent stand-in store for any size without computing 2^40 leaves.
    const byLevel = [leafHash(utf8('same'))];
    for (let level = 1; level <= 53; level++) byLevel.push(nodeHash(byLevel[level - 1], byLevel[level - 1]));
    const lookup = (level: number): Uint8Array => byLevel[level];
    const rootOf = (size: number): Uint8Array => foldSubtrees(rootPlan(size), lookup);
    const sizes = [2 ** 32 + 1, 2 ** 40 + 12345, 2 ** 52 + 3, Number.MAX_SAFE_INTEGER];
    for (const size of sizes) {
      for (const index of [0, 2 ** 31, 2 ** 32 - 1, 2 ** 32, size - 2, size - 1]) {
        const proof = resolveProofPlan(inclusionProofPlan(index, size), lookup);
        assert.equal(verifyInclusion(byLevel[0], index, size, proof, rootOf(size)), true, `inclusion ${index} of ${size}`);
      }
      for (const old of [1, 3, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 7, size - 1].filter((m) => m < size)) {
        const proof = resolveProofPlan(consistencyProofPlan(old, size), lookup);
        assert.equal(verifyConsistency(old, size, proof, rootOf(old), rootOf(size)), true, `consistency ${old} → ${size}`);
        assert.equal(verifyConsistency(old, size, proof, rootOf(old), rootOf(size - 1)), false);
      }
    }
  });
});

describe('verifiers never throw', () => {
  it('return false for junk of every kind', () => {
    const junk: unknown[] = [null, undefined, -1, 1.5, NaN, 'x', {}, [null], [new Uint8Array(31)], new Uint8Array(32)];
    for (const a of junk) {
      assert.equal(verifyInclusion(a as Uint8Array, 0, 1, a as Uint8Array[], a as Uint8Array), false);
      assert.equal(verifyInclusion(leaves[0], a as number, a as number, [], leaves[0]), false);
      assert.equal(verifyConsistency(a as number, a as number, a as Uint8Array[], a as Uint8Array, a as Uint8Array), false);
      assert.equal(verifyConsistency(1, 2, a as Uint8Array[], roots[1], roots[2]), false);
    }
  });
});
