// The RFC 6962 Merkle tree: hashing, the incremental tree, proof plans, verification, memory store.
export * from './merkle-hash';
export { CompactMerkleTree } from './compact-merkle-tree';
export {
  consistencyProofPlan,
  foldSubtrees,
  inclusionProofPlan,
  nodesOfPlan,
  resolveProofPlan,
  rootPlan,
  type NodeLookup,
  type ProofPlan,
} from './merkle-proofs';
export { rootFromInclusionProof, verifyConsistency, verifyInclusion } from './merkle-verify';
export { MemoryMerkleStore } from './memory-merkle-store';
