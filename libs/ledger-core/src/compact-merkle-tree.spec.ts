import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toHex, utf8 } from './encoding';
import { LedgerCoreError } from './errors';
import { CompactMerkleTree, emptyRoot, leafHash, merkleRoot, nodeHash } from './merkle';

const leaves = Array.from({ length: 80 }, (_, i) => leafHash(utf8(`leaf ${i}`)));

function throwsCode(fn: () => unknown, code: string): void {
  assert.throws(fn, (e: unknown) => e instanceof LedgerCoreError && e.code === code);
}

describe('RFC 6962 hashing', () => {
  it('prefixes leaves with 0x00 and nodes with 0x01', () => {
    // RFC 6962 reference values (also in shared/vectors/merkle/reference-tree.json).
    assert.equal(toHex(emptyRoot()), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(toHex(leafHash(new Uint8Array(0))), '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    assert.equal(toHex(merkleRoot([leafHash(new Uint8Array(0)), leafHash(new Uint8Array([0]))])), 'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125');
    assert.notEqual(toHex(nodeHash(leaves[0], leaves[1])), toHex(leafHash(new Uint8Array([...leaves[0], ...leaves[1]]))));
  });
});

describe('CompactMerkleTree', () => {
  it('matches the reference root at every size and keeps popcount(size) frontier hashes', () => {
    const tree = CompactMerkleTree.empty();
    assert.equal(tree.size, 0);
    assert.deepEqual(tree.frontier(), []);
    for (let n = 1; n <= leaves.length; n++) {
      tree.append(leaves[n - 1]);
      assert.equal(tree.size, n);
      assert.equal(toHex(tree.root()), toHex(merkleRoot(leaves.slice(0, n))), `size ${n}`);
      assert.equal(tree.frontier().length, n.toString(2).split('1').length - 1);
    }
  });

  it('returns each perfect node exactly once, when it becomes complete, with the right hash', () => {
    const tree = CompactMerkleTree.empty();
    const seen = new Set<string>();
    for (let n = 0; n < 64; n++) {
      const nodes = tree.append(leaves[n]);
      assert.deepEqual(nodes[0], { level: 0, index: n, hash: leaves[n] });
      // The leaf plus one parent per trailing 1 bit of the old size.
      let trailingOnes = 0;
      for (let x = n; x % 2 === 1; x = Math.floor(x / 2)) trailingOnes++;
      assert.equal(nodes.length, 1 + trailingOnes);
      for (const node of nodes) {
        const key = `${node.level}:${node.index}`;
        assert.ok(!seen.has(key), `node ${key} returned twice`);
        seen.add(key);
        const width = 2 ** node.level;
        assert.ok((node.index + 1) * width === n + 1, 'a node completes exactly with its last leaf');
        assert.equal(toHex(node.hash), toHex(merkleRoot(leaves.slice(node.index * width, (node.index + 1) * width))));
      }
    }
    assert.equal(seen.size, 2 * 64 - 1);
  });

  it('round-trips through fromFrontier at every size and keeps growing identically', () => {
    for (let n = 0; n <= 64; n++) {
      const original = CompactMerkleTree.empty();
      for (let i = 0; i < n; i++) original.append(leaves[i]);
      const resumed = CompactMerkleTree.fromFrontier(n, original.frontier());
      assert.equal(resumed.size, n);
      assert.equal(toHex(resumed.root()), toHex(original.root()));
      for (let i = n; i < n + 9; i++) {
        const a = original.append(leaves[i]);
        const b = resumed.append(leaves[i]);
        assert.deepEqual(b.map((x) => [x.level, x.index, toHex(x.hash)]), a.map((x) => [x.level, x.index, toHex(x.hash)]));
        assert.equal(toHex(resumed.root()), toHex(merkleRoot(leaves.slice(0, i + 1))));
      }
    }
  });

  it('cannot be altered through the arrays it hands out', () => {
    const tree = CompactMerkleTree.empty();
    const nodes = [tree.append(leaves[0]), tree.append(leaves[1])].flat();
    const before = toHex(tree.root());
    for (const node of nodes) node.hash.fill(0);
    tree.frontier()[0].fill(0);
    tree.root().fill(0);
    assert.equal(toHex(tree.root()), before);
  });

  it('refuses a frontier that does not fit the size, and bad leaves', () => {
    throwsCode(() => CompactMerkleTree.fromFrontier(3, [leaves[0]]), 'BAD_FRONTIER');
    throwsCode(() => CompactMerkleTree.fromFrontier(0, [leaves[0]]), 'BAD_FRONTIER');
    throwsCode(() => CompactMerkleTree.fromFrontier(1, [new Uint8Array(31)]), 'BAD_FRONTIER');
    throwsCode(() => CompactMerkleTree.fromFrontier(-1, []), 'BAD_TREE_SIZE');
    throwsCode(() => CompactMerkleTree.fromFrontier(1.5, [leaves[0]]), 'BAD_TREE_SIZE');
    throwsCode(() => CompactMerkleTree.empty().append(new Uint8Array(33)), 'BAD_LEAF_HASH');
    // Sizes beyond 2^32 are fine: 2^40 + 1 has two set bits.
    const big = CompactMerkleTree.fromFrontier(2 ** 40 + 1, [leaves[0], leaves[1]]);
    const nodes = big.append(leaves[2]);
    assert.deepEqual(nodes.map((x) => [x.level, x.index]), [[0, 2 ** 40 + 1], [1, 2 ** 39]]);
    assert.equal(big.size, 2 ** 40 + 2);
  });
});
