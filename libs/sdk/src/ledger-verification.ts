// Client-side checks of what the server says about the ledger, with libs/ledger-core alone: nothing
// here trusts the server beyond the ledger public key the caller pins.
import {
  BlockHeader,
  blockHeaderHash,
  eventHash,
  EventEnvelope,
  fromBase64Url,
  fromHex,
  leafHash,
  verifyBlockHeader,
  verifyConsistency,
  verifyHeaderLink,
  verifyInclusion,
} from '@pharmatrace/ledger-core';

export interface BlockView {
  header: BlockHeader;
  headerHash: string;
  kid: string;
  sig: string;
}

export interface ProvenEventView {
  seq: number;
  hash: string;
  event: EventEnvelope;
  inclusion: { leafIndex: number; treeSize: number; hashes: string[] } | null;
  block: BlockView | null;
}

export interface ConsistencyProofView {
  fromSize: number;
  toSize: number;
  hashes: string[];
}

export type Verdict = { ok: true } | { ok: false; reason: string };

const fail = (reason: string): Verdict => ({ ok: false, reason });

/** The header is signed by the pinned ledger key and its hash is what the server claims. */
export function verifyBlock(block: BlockView, ledgerPublicKey: string): Verdict {
  const v = verifyBlockHeader({ header: block.header, kid: block.kid, sig: block.sig }, fromBase64Url(ledgerPublicKey));
  if (!v.ok) return fail(`block ${block.header.height}: ${v.code}: ${v.message}`);
  if (v.hash !== block.headerHash) return fail(`block ${block.header.height}: the header hashes to ${v.hash}, not ${block.headerHash}`);
  return { ok: true };
}

/** The event is what it claims to be and is included in the tree of `trusted` (a verified block). */
export function verifyEventInclusion(proven: ProvenEventView, trusted: BlockView, ledgerPublicKey: string): Verdict {
  const blockOk = verifyBlock(trusted, ledgerPublicKey);
  if (!blockOk.ok) return blockOk;
  if (eventHash(proven.event) !== proven.hash) return fail(`event #${proven.seq}: its content does not hash to ${proven.hash}`);
  if (!proven.inclusion) return fail(`event #${proven.seq} is not sealed yet`);
  const { leafIndex, treeSize, hashes } = proven.inclusion;
  if (leafIndex !== proven.seq - 1) return fail(`event #${proven.seq}: the proof is for leaf ${leafIndex}, not ${proven.seq - 1}`);
  if (treeSize !== trusted.header.treeSize) return fail(`the proof is for a tree of ${treeSize} leaves, block ${trusted.header.height} has ${trusted.header.treeSize}`);
  const ok = verifyInclusion(leafHash(fromHex(proven.hash)), leafIndex, treeSize, hashes.map(fromHex), fromHex(trusted.header.rootHash));
  return ok ? { ok: true } : fail(`event #${proven.seq}: the inclusion proof does not lead to the root of block ${trusted.header.height}`);
}

/** `newer` extends `older`: the log was only appended to between them. Both headers are verified. */
export function verifyBlockConsistency(older: BlockView, newer: BlockView, proof: ConsistencyProofView, ledgerPublicKey: string): Verdict {
  for (const b of [older, newer]) {
    const v = verifyBlock(b, ledgerPublicKey);
    if (!v.ok) return v;
  }
  if (proof.fromSize !== older.header.treeSize || proof.toSize !== newer.header.treeSize) return fail('the consistency proof is for other tree sizes');
  if (older.header.treeSize === newer.header.treeSize) {
    return older.header.rootHash === newer.header.rootHash ? { ok: true } : fail('two heads of the same size with different roots: history was rewritten');
  }
  const ok = verifyConsistency(older.header.treeSize, newer.header.treeSize, proof.hashes.map(fromHex), fromHex(older.header.rootHash), fromHex(newer.header.rootHash));
  return ok ? { ok: true } : fail(`block ${newer.header.height} does not extend block ${older.header.height}: history was rewritten`);
}

/** Consecutive headers link by hash, height, sequence and tree size. */
export function verifyChain(headers: BlockHeader[], previous: BlockHeader | null = null): Verdict {
  let prev = previous;
  for (const h of headers) {
    const v = verifyHeaderLink(prev, h);
    if (!v.ok) return fail(`block ${h.height}: ${v.code}: ${v.message}`);
    prev = h;
  }
  return { ok: true };
}

export { blockHeaderHash };
