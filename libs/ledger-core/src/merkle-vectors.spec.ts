// Known answers from test/vectors/merkle (transparency-dev/merkle's RFC 6962 vectors, copied from the team's shared vectors).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ConsistencyCase, InclusionCase, ReferenceTree, jsonFiles, loadVector, vectorsDir } from '../../../test/vectors/merkle-vectors';
import { bytesEqual, fromBase64, fromHex, toHex } from './encoding';
import { CompactMerkleTree, leafHash, MemoryMerkleStore, merkleRoot, verifyConsistency, verifyInclusion } from './merkle';

const dir = vectorsDir();
const load = loadVector;
const proofOf = (proof: string[] | null): Uint8Array[] => (proof ?? []).map(fromBase64);
const inclusionFiles = jsonFiles(join(dir, 'inclusion'));
const consistencyFiles = jsonFiles(join(dir, 'consistency'));
const reference = (): ReferenceTree => load<ReferenceTree>(join(dir, 'reference-tree.json'));

describe('RFC 6962 vectors', () => {
  it('are present (the suite must not pass vacuously)', () => {
    assert.ok(existsSync(dir), `vector folder ${dir} is missing (set PHARMATRACE_VECTORS)`);
    assert.ok(inclusionFiles.length >= 90, `expected at least 90 inclusion cases in ${dir}, found ${inclusionFiles.length}`);
    assert.ok(consistencyFiles.length >= 90, `expected at least 90 consistency cases in ${dir}, found ${consistencyFiles.length}`);
    const valid = [...inclusionFiles, ...consistencyFiles].filter((f) => !load<{ wantErr: boolean }>(f).wantErr);
    assert.ok(valid.length >= 10, `expected at least 10 valid cases, found ${valid.length}`);
  });

  it('verifyInclusion accepts exactly the cases with wantErr: false', () => {
    for (const file of inclusionFiles) {
      const c = load<InclusionCase>(file);
      const got = verifyInclusion(fromBase64(c.leafHash), c.leafIdx, c.treeSize, proofOf(c.proof), fromBase64(c.root));
      assert.equal(got, !c.wantErr, `${relative(dir, file)}: ${c.desc}`);
    }
  });

  it('verifyConsistency accepts exactly the cases with wantErr: false', () => {
    for (const file of consistencyFiles) {
      const c = load<ConsistencyCase>(file);
      const got = verifyConsistency(c.size1, c.size2, proofOf(c.proof), fromBase64(c.root1), fromBase64(c.root2));
      assert.equal(got, !c.wantErr, `${relative(dir, file)}: ${c.desc}`);
    }
  });

  it('reference tree: every prefix root via merkleRoot, CompactMerkleTree and MemoryMerkleStore', () => {
    const ref = reference();
    const leaves = ref.leafInputsHex.map((hex) => leafHash(fromHex(hex)));
    assert.equal(ref.rootHashesHexBySize.length, 9);
    const tree = CompactMerkleTree.empty();
    const store = new MemoryMerkleStore();
    assert.equal(toHex(tree.root()), ref.rootHashesHexBySize[0]);
    assert.equal(toHex(store.root()), ref.rootHashesHexBySize[0]);
    for (let size = 0; size <= 8; size++) {
      if (size > 0) {
        tree.append(leaves[size - 1]);
        store.append(leaves[size - 1]);
      }
      const want = ref.rootHashesHexBySize[size];
      assert.equal(toHex(merkleRoot(leaves.slice(0, size))), want, `merkleRoot, size ${size}`);
      assert.equal(toHex(tree.root()), want, `CompactMerkleTree, size ${size}`);
      assert.equal(toHex(store.root()), want, `MemoryMerkleStore, size ${size}`);
    }
    for (let size = 0; size <= 8; size++) assert.equal(toHex(store.rootAt(size)), ref.rootHashesHexBySize[size], `rootAt(${size})`);
  });

  it('our proofs for the reference tree are byte-identical to the happy-path vectors', () => {
    const ref = reference();
    const store = new MemoryMerkleStore();
    const leaves = ref.leafInputsHex.map((hex) => leafHash(fromHex(hex)));
    for (const leaf of leaves) store.append(leaf);
    let compared = 0;
    for (const file of inclusionFiles) {
      const c = load<InclusionCase>(file);
      const ours = c.treeSize <= 8 && c.leafIdx < c.treeSize ? leaves[c.leafIdx] : null;
      if (c.wantErr || ours === null || !bytesEqual(ours, fromBase64(c.leafHash))) continue;
      assert.deepEqual(store.inclusionProof(c.leafIdx, c.treeSize).map(toHex), proofOf(c.proof).map(toHex), relative(dir, file));
      compared++;
    }
    for (const file of consistencyFiles) {
      const c = load<ConsistencyCase>(file);
      if (c.wantErr || c.size2 > 8 || c.size1 < 1 || toHex(fromBase64(c.root2)) !== ref.rootHashesHexBySize[c.size2]) continue;
      assert.deepEqual(store.consistencyProof(c.size1, c.size2).map(toHex), proofOf(c.proof).map(toHex), relative(dir, file));
      compared++;
    }
    assert.ok(compared >= 8, `expected to compare at least 8 happy paths, compared ${compared}`);
  });
});
