// The ledger proof for the public page: the pack's latest event, the block that sealed it, and its RFC 6962
// inclusion proof, verified here with libs/ledger-core (header signature by the ledger key, header hash,
// audit path to the header's root) — and returned whole, so an app can check the same offline.
import type { EntityManager } from 'typeorm';
import { fromBase64Url, fromHex, leafHash, toHex, verifyBlockHeader, verifyInclusion } from '@pharmatrace/ledger-core';
import type { LedgerProofs } from '@pharmatrace/ledger';
import type { LedgerProofReport } from './pack-report.types';

/** The proof of `packId`'s latest event (its head on the ledger); null when the pack has no event. */
export async function readLedgerProof(m: EntityManager, proofs: LedgerProofs, packId: string): Promise<LedgerProofReport | null> {
  const [head]: Array<{ head_hash: string }> = await m.query('SELECT head_hash FROM asset_heads WHERE asset_id = $1', [packId]);
  if (!head) return null;
  const proven = await proofs.provenEvent(head.head_hash);
  if (!proven) return null;
  const event = { hash: proven.hash, seq: proven.seq, type: proven.type, at: proven.event.at };
  const leaf = toHex(leafHash(fromHex(proven.hash)));
  if (!proven.block || !proven.inclusion) {
    return { event, status: 'not_sealed', verified: false, leafHash: leaf, block: null, inclusionProof: null };
  }
  const { block, inclusion } = proven;
  const keys = await proofs.signingKeys();
  const ledgerPublicKey = keys.find((k) => k.kid === block.kid)?.publicKey ?? null;
  const verified = ledgerPublicKey !== null && verifies(proven.hash, block, inclusion, ledgerPublicKey);
  return {
    event,
    status: verified ? 'verified' : 'failed',
    verified,
    leafHash: leaf,
    block: { number: block.header.height, header: { ...block.header }, headerHash: block.headerHash, signature: block.sig, ledgerKeyId: block.kid, ledgerPublicKey },
    inclusionProof: { leafIndex: inclusion.leafIndex, treeSize: inclusion.treeSize, auditPath: inclusion.hashes },
  };
}

/** The header is the ledger key's, hashes to what is stored, and the audit path leads from the event's leaf to its root. */
function verifies(
  eventHash: string,
  block: { header: Parameters<typeof verifyBlockHeader>[0]['header']; kid: string; sig: string; headerHash: string },
  inclusion: { leafIndex: number; treeSize: number; hashes: string[] },
  publicKey: string,
): boolean {
  try {
    const header = verifyBlockHeader({ header: block.header, kid: block.kid, sig: block.sig }, fromBase64Url(publicKey));
    if (!header.ok || header.hash !== block.headerHash) return false;
    if (inclusion.treeSize !== block.header.treeSize) return false;
    return verifyInclusion(leafHash(fromHex(eventHash)), inclusion.leafIndex, inclusion.treeSize, inclusion.hashes.map(fromHex), fromHex(block.header.rootHash));
  } catch {
    return false;
  }
}
