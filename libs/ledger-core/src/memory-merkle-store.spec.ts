import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toHex, utf8 } from './encoding';
import { leafHash, MemoryMerkleStore, merkleRoot, verifyConsistency, verifyInclusion } from './merkle';

describe('MemoryMerkleStore', () => {
  const leaves = Array.from({ length: 40 }, (_, i) => leafHash(utf8(`event ${i}`)));

  it('answers roots and proofs for every past size from stored nodes only', () => {
    const store = new MemoryMerkleStore();
    assert.equal(store.size, 0);
    assert.equal(toHex(store.root()), toHex(merkleRoot([])));
    for (const leaf of leaves) store.append(leaf);
    assert.equal(store.size, leaves.length);
    for (let n = 0; n <= leaves.length; n++) assert.equal(toHex(store.rootAt(n)), toHex(merkleRoot(leaves.slice(0, n))));
    // Proofs against an old block's tree keep working after the log has grown.
    assert.equal(verifyInclusion(leaves[3], 3, 17, store.inclusionProof(3, 17), store.rootAt(17)), true);
    assert.equal(verifyConsistency(17, 40, store.consistencyProof(17, 40), store.rootAt(17), store.root()), true);
    assert.deepEqual(store.consistencyProof(40, 40), []);
  });

  it('stores every perfect node and hands out copies', () => {
    const store = new MemoryMerkleStore();
    for (const leaf of leaves.slice(0, 8)) store.append(leaf);
    assert.equal(toHex(store.node(3, 0)), toHex(store.root()));
    assert.equal(toHex(store.node(2, 1)), toHex(merkleRoot(leaves.slice(4, 8))));
    store.node(0, 0).fill(0);
    store.inclusionProof(0, 8).forEach((h) => h.fill(0));
    assert.equal(toHex(store.node(0, 0)), toHex(leaves[0]));
    assert.equal(toHex(store.rootAt(8)), toHex(merkleRoot(leaves.slice(0, 8))));
  });
});
