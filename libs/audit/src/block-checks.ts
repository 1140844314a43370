// The checks of one block, made once the replayed tree has reached the block's size. Ordered so that the
// cause is named rather than its consequence: a changed root also breaks the signature over it, but
// "the root is not the root of these events" is what the operator needs to hear.
import {
  BlockHeader,
  blockHeaderHash,
  fromBase64Url,
  isValidPublicKey,
  keyIdOf,
  verifyBlockHeader,
  verifyHeaderLink,
  type SignatureVerifier,
} from '@pharmatrace/ledger-core';
import { AuditFailure, blockFailure } from './audit-failure';
import type { LedgerKeyRecord, SourceBlock } from './audit-source';

/** The ledger keys blocks may be signed with: the pinned one, or those the source publishes. */
export class LedgerKeyring {
  private constructor(
    private readonly keys: Map<string, Uint8Array>,
    readonly pinned: boolean,
    private readonly rejected: Map<string, string>,
  ) {}

  static pinned(publicKey: string): LedgerKeyring {
    const bytes = fromBase64Url(publicKey);
    if (!isValidPublicKey(bytes)) throw new Error('The pinned ledger key is not a valid Ed25519 public key.');
    return new LedgerKeyring(new Map([[keyIdOf(bytes), bytes]]), true, new Map());
  }

  static published(records: LedgerKeyRecord[]): LedgerKeyring {
    const keys = new Map<string, Uint8Array>();
    const rejected = new Map<string, string>();
    for (const r of records) {
      let bytes: Uint8Array | null = null;
      try {
        bytes = fromBase64Url(r.publicKey);
      } catch {
        bytes = null;
      }
      // A published key that does not hash to its kid cannot be the one the kid names.
      if (bytes === null || !isValidPublicKey(bytes)) rejected.set(r.kid, 'its published public key is not a valid Ed25519 key');
      else if (keyIdOf(bytes) !== r.kid) rejected.set(r.kid, `its published public key has kid ${keyIdOf(bytes)}`);
      else keys.set(r.kid, bytes);
    }
    return new LedgerKeyring(keys, false, rejected);
  }

  key(kid: string): { ok: true; key: Uint8Array } | { ok: false; why: string } {
    const key = this.keys.get(kid);
    if (key) return { ok: true, key };
    if (this.pinned) return { ok: false, why: `it is signed by ${kid}, not by the pinned ledger key ${[...this.keys.keys()][0]}.` };
    const reason = this.rejected.get(kid);
    return { ok: false, why: reason ? `it is signed by ${kid}, but ${reason}.` : `it is signed by ${kid}, which is not one of the ledger's published keys.` };
  }
}

export interface TreeState {
  size: number;
  rootHex: string;
}

/**
 * Checks `block` against the previous verified header (null for the genesis block) and the replayed tree,
 * which holds exactly the events up to the block's last sequence number.
 */
export function checkBlock(
  block: SourceBlock,
  prev: BlockHeader | null,
  tree: TreeState,
  keys: LedgerKeyring,
  verifier: SignatureVerifier,
): AuditFailure | null {
  const h = block.header;
  const expectedHeight = (prev?.height ?? 0) + 1;
  if (h.height > expectedHeight) {
    const after = prev ? `after block ${prev.height}` : 'at the start of the chain';
    return blockFailure('BLOCK_MISSING', expectedHeight, `no block ${expectedHeight} is stored ${after}; the next stored block is ${h.height}.`);
  }
  const link = verifyHeaderLink(prev, h);
  if (!link.ok) {
    const code = link.code === 'INVALID_HEADER' ? 'BLOCK_HEADER_INVALID' : 'BLOCK_LINK_BROKEN';
    return blockFailure(code, h.height, `${link.code}: ${link.message}`);
  }
  // Leaf index = seq - 1: the chain's sequence numbers start at 1 or every proof is off by the difference.
  if (prev === null && h.firstSeq !== 1) return blockFailure('BLOCK_LINK_BROKEN', h.height, `the genesis block starts at seq ${h.firstSeq}, not 1.`);
  if (tree.size !== h.treeSize) {
    return blockFailure('BLOCK_LINK_BROKEN', h.height, `the block claims a tree of ${h.treeSize} leaves, but it seals the log up to #${tree.size}.`);
  }
  if (tree.rootHex !== h.rootHash) {
    return blockFailure('BLOCK_ROOT_MISMATCH', h.height, `its root is ${h.rootHash}, but the events #1–#${h.lastSeq} give root ${tree.rootHex}.`);
  }
  const hash = blockHeaderHash(h);
  if (block.headerHash !== hash) {
    return blockFailure('BLOCK_HASH_MISMATCH', h.height, `its stored header hash is ${block.headerHash}, but the header hashes to ${hash}.`);
  }
  const key = keys.key(block.kid);
  if (!key.ok) return blockFailure('BLOCK_KEY_UNKNOWN', h.height, key.why);
  const verdict = verifyBlockHeader({ header: h, kid: block.kid, sig: block.sig }, key.key, verifier);
  if (!verdict.ok) {
    const code = verdict.code === 'INVALID_HEADER' ? 'BLOCK_HEADER_INVALID' : 'BLOCK_SIGNATURE_INVALID';
    return blockFailure(code, h.height, `${verdict.code}: ${verdict.message}`);
  }
  return null;
}
