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
  toHex,
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

/** Hex text as bytes, or null when it is not hex text (a server's malformed answer is not a proof). */
function decodeHex(text: unknown): Uint8Array | null {
  try {
    return typeof text === 'string' ? fromHex(text) : null;
  } catch {
    return null;
  }
}

function decodeHexList(texts: unknown): Uint8Array[] | null {
  if (!Array.isArray(texts)) return null;
  const out: Uint8Array[] = [];
  for (const t of texts) {
    const bytes = decodeHex(t);
    if (bytes === null) return null;
    out.push(bytes);
  }
  return out;
}

/**
 * RFC 9162 §2.1.3.2 inclusion check on hex text. Only decodes: the decision is ledger-core's
 * verifyInclusion, so the SDK accepts exactly the proofs the core accepts. Never throws.
 */
export function verifyInclusionProof(leafHashHex: string, leafIndex: number, treeSize: number, proofHex: string[], rootHex: string): boolean {
  const leaf = decodeHex(leafHashHex);
  const proof = decodeHexList(proofHex);
  const root = decodeHex(rootHex);
  if (leaf === null || proof === null || root === null) return false;
  return verifyInclusion(leaf, leafIndex, treeSize, proof, root);
}

/**
 * RFC 9162 §2.1.4.2 consistency check on hex text. Only decodes: the decision, equal sizes included,
 * is ledger-core's verifyConsistency. Never throws.
 */
export function verifyConsistencyProof(fromSize: number, toSize: number, proofHex: string[], fromRootHex: string, toRootHex: string): boolean {
  const proof = decodeHexList(proofHex);
  const root1 = decodeHex(fromRootHex);
  const root2 = decodeHex(toRootHex);
  if (proof === null || root1 === null || root2 === null) return false;
  return verifyConsistency(fromSize, toSize, proof, root1, root2);
}

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
  const leaf = decodeHex(proven.hash);
  const ok = leaf !== null && verifyInclusionProof(toHex(leafHash(leaf)), leafIndex, treeSize, hashes, trusted.header.rootHash);
  return ok ? { ok: true } : fail(`event #${proven.seq}: the inclusion proof does not lead to the root of block ${trusted.header.height}`);
}

/** `newer` extends `older`: the log was only appended to between them. Both headers are verified. */
export function verifyBlockConsistency(older: BlockView, newer: BlockView, proof: ConsistencyProofView, ledgerPublicKey: string): Verdict {
  for (const b of [older, newer]) {
    const v = verifyBlock(b, ledgerPublicKey);
    if (!v.ok) return v;
  }
  if (proof.fromSize !== older.header.treeSize || proof.toSize !== newer.header.treeSize) return fail('the consistency proof is for other tree sizes');
  // Equal sizes included: ledger-core alone decides (RFC 9162: then the proof must be empty and the roots equal).
  if (verifyConsistencyProof(older.header.treeSize, newer.header.treeSize, proof.hashes, older.header.rootHash, newer.header.rootHash)) return { ok: true };
  if (older.header.treeSize === newer.header.treeSize) {
    return older.header.rootHash !== newer.header.rootHash
      ? fail('two heads of the same size with different roots: history was rewritten')
      : fail('heads of the same size take an empty consistency proof, but the server sent hashes with it');
  }
  return fail(`block ${newer.header.height} does not extend block ${older.header.height}: history was rewritten`);
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
