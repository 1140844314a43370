// Block headers: each one is a signed tree head (as in Certificate Transparency) and a link in a
// hash chain of blocks. Sequence numbers are gapless; the genesis block's firstSeq sets their base,
// so the leaf index of event `seq` is `seq - genesis.firstSeq`.
import { canonicalBytes } from './canonical';
import { toBase64Url, toHex } from './encoding';
import { describeProblems, LedgerCoreError } from './errors';
import type { EnvelopeProblem } from './envelope-types';
import { sha256 } from './hash';
import { keyIdOf, nobleVerifier, publicKeyFromSecret, signMessage, type SignatureVerifier } from './keys';
import { decodeSignature, domainSeparatedMessage, SIGNATURE_BYTES } from './signing-message';
import { checkMembers, isHashHex, isPlainObject, isUtcTimestamp, ProblemList } from './validation';

export interface BlockHeader {
  height: number;
  prevHeaderHash: string | null;
  treeSize: number;
  rootHash: string;
  firstSeq: number;
  lastSeq: number;
  sealedAt: string;
}

/** `sig` is base64url (no padding) over blockSigningMessage(blockHeaderHash(header)). */
export interface SignedBlockHeader {
  header: BlockHeader;
  kid: string;
  sig: string;
}

export const BLOCK_SIGNATURE_CONTEXT = 'PharmaTrace/block/v1';

export type BlockHeaderCheck = { ok: true; header: BlockHeader } | { ok: false; problems: EnvelopeProblem[] };
export type BlockVerdict =
  | { ok: true; hash: string }
  | { ok: false; code: string; message: string; problems?: EnvelopeProblem[] };
export type HeaderLinkVerdict = { ok: true } | { ok: false; code: string; message: string };

const HEADER_FIELDS = ['height', 'prevHeaderHash', 'treeSize', 'rootHash', 'firstSeq', 'lastSeq', 'sealedAt'] as const;
const SIGNED_HEADER_FIELDS = ['header', 'kid', 'sig'] as const;

function isCount(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min;
}

/** Number of events a (valid) header seals. */
function eventCount(h: BlockHeader): number {
  return h.lastSeq - h.firstSeq + 1;
}

export function validateBlockHeader(h: unknown): BlockHeaderCheck {
  const problems = new ProblemList();
  if (!isPlainObject(h)) {
    problems.add('NOT_AN_OBJECT', '', 'A block header must be a JSON object.');
    return { ok: false, problems: problems.items };
  }
  if (!checkMembers(h, HEADER_FIELDS, HEADER_FIELDS, '', problems)) return { ok: false, problems: problems.items };
  if (!isCount(h.height, 1)) problems.add('BAD_HEIGHT', 'height', '"height" must be an integer of at least 1 (genesis is 1).');
  if (h.height === 1 && h.prevHeaderHash !== null) {
    problems.add('BAD_PREV_HEADER_HASH', 'prevHeaderHash', 'The genesis block (height 1) must have "prevHeaderHash": null.');
  } else if (h.height !== 1 && !isHashHex(h.prevHeaderHash)) {
    problems.add('BAD_PREV_HEADER_HASH', 'prevHeaderHash', '"prevHeaderHash" must be the 64 lowercase hex digits of the previous header\'s hash.');
  }
  if (!isCount(h.treeSize, 1)) problems.add('BAD_TREE_SIZE', 'treeSize', '"treeSize" must be an integer of at least 1.');
  if (!isHashHex(h.rootHash)) problems.add('BAD_ROOT_HASH', 'rootHash', '"rootHash" must be 64 lowercase hex digits.');
  if (!isCount(h.firstSeq, 0)) problems.add('BAD_SEQ', 'firstSeq', '"firstSeq" must be a non-negative integer.');
  if (!isCount(h.lastSeq, 0)) problems.add('BAD_SEQ', 'lastSeq', '"lastSeq" must be a non-negative integer.');
  if (!isUtcTimestamp(h.sealedAt)) {
    problems.add('BAD_TIMESTAMP', 'sealedAt', '"sealedAt" must be a real UTC time written as YYYY-MM-DDTHH:MM:SS.sssZ (milliseconds optional).');
  }
  if (problems.empty) {
    const header = h as unknown as BlockHeader;
    // A block seals at least one event, and the tree holds at least the events of this block.
    if (header.lastSeq < header.firstSeq) {
      problems.add('BAD_SEQ', 'lastSeq', `"lastSeq" (${header.lastSeq}) must not be below "firstSeq" (${header.firstSeq}): a block seals at least one event.`);
    } else if (header.treeSize < eventCount(header)) {
      problems.add('BAD_TREE_SIZE', 'treeSize', `"treeSize" (${header.treeSize}) is smaller than the ${eventCount(header)} events this block seals.`);
    }
  }
  if (!problems.empty) return { ok: false, problems: problems.items };
  return { ok: true, header: h as unknown as BlockHeader };
}

export function blockHeaderHash(h: BlockHeader): string {
  return toHex(sha256(canonicalBytes(h)));
}

export function blockSigningMessage(headerHashHex: string): Uint8Array {
  return domainSeparatedMessage(BLOCK_SIGNATURE_CONTEXT, headerHashHex);
}

export function signBlockHeader(h: BlockHeader, secretKey: Uint8Array): SignedBlockHeader {
  const check = validateBlockHeader(h);
  if (!check.ok) {
    throw new LedgerCoreError(
      'INVALID_HEADER',
      `The block header cannot be signed because it is invalid: ${describeProblems(check.problems)}.`,
      check.problems,
    );
  }
  const kid = keyIdOf(publicKeyFromSecret(secretKey));
  const sig = toBase64Url(signMessage(blockSigningMessage(blockHeaderHash(h)), secretKey));
  return { header: h, kid, sig };
}

/** Checks shape, signature format, key id and signature of a signed header; never throws. */
export function verifyBlockHeader(
  s: SignedBlockHeader,
  publicKey: Uint8Array,
  verifier: SignatureVerifier = nobleVerifier,
): BlockVerdict {
  const problems = new ProblemList();
  if (!isPlainObject(s)) return invalidHeader([{ code: 'NOT_AN_OBJECT', path: '', message: 'A signed block header must be a JSON object { header, kid, sig }.' }]);
  checkMembers(s, ['header', 'kid'], SIGNED_HEADER_FIELDS, '', problems);
  if (!problems.empty) return invalidHeader(problems.items);
  const check = validateBlockHeader(s.header);
  if (!check.ok) return invalidHeader(check.problems.map((p) => ({ ...p, path: p.path ? `header.${p.path}` : 'header' })));

  const signature = decodeSignature(s.sig);
  if (signature === null) {
    return { ok: false, code: 'MALFORMED_SIGNATURE', message: `"sig" must be the base64url (unpadded) text of a ${SIGNATURE_BYTES}-byte Ed25519 signature.` };
  }
  const givenKid = publicKey instanceof Uint8Array ? keyIdOf(publicKey) : null;
  if (givenKid === null || s.kid !== givenKid) {
    return { ok: false, code: 'KEY_MISMATCH', message: `The header names key "${String(s.kid)}" but the public key given is ${givenKid === null ? 'not bytes' : `"${givenKid}"`}.` };
  }
  const hash = blockHeaderHash(check.header);
  if (!verifier.verify(signature, blockSigningMessage(hash), publicKey)) {
    return { ok: false, code: 'BAD_SIGNATURE', message: `The signature does not match block ${check.header.height} (header ${hash}) and key "${s.kid}".` };
  }
  return { ok: true, hash };
}

function invalidHeader(problems: EnvelopeProblem[]): BlockVerdict {
  return { ok: false, code: 'INVALID_HEADER', message: `The block header is invalid: ${describeProblems(problems)}.`, problems };
}

/**
 * Checks that `next` directly follows `prev` (null: `next` must be the genesis block): heights
 * step by one, the hash link holds, sequence numbers continue without gap or overlap, and the
 * tree grew by exactly the events the block seals. Never throws.
 */
export function verifyHeaderLink(prev: BlockHeader | null, next: BlockHeader): HeaderLinkVerdict {
  try {
    const nextCheck = validateBlockHeader(next);
    if (!nextCheck.ok) return { ok: false, code: 'INVALID_HEADER', message: `The next header is invalid: ${describeProblems(nextCheck.problems)}.` };
    if (prev === null) {
      if (next.height !== 1) return { ok: false, code: 'BAD_HEIGHT', message: `With no previous block the header must be the genesis (height 1), not height ${next.height}.` };
      if (next.treeSize !== eventCount(next)) {
        return { ok: false, code: 'BAD_TREE_SIZE', message: `The genesis block seals ${eventCount(next)} events, so its tree size must be ${eventCount(next)}, not ${next.treeSize}.` };
      }
      return { ok: true };
    }
    const prevCheck = validateBlockHeader(prev);
    if (!prevCheck.ok) return { ok: false, code: 'INVALID_HEADER', message: `The previous header is invalid: ${describeProblems(prevCheck.problems)}.` };
    if (next.height !== prev.height + 1) {
      return { ok: false, code: 'BAD_HEIGHT', message: `Block ${next.height} cannot follow block ${prev.height}; heights must step by one.` };
    }
    const prevHash = blockHeaderHash(prev);
    if (next.prevHeaderHash !== prevHash) {
      return { ok: false, code: 'BAD_PREV_HEADER_HASH', message: `Block ${next.height} names previous header ${String(next.prevHeaderHash)}, but block ${prev.height} hashes to ${prevHash}.` };
    }
    if (next.firstSeq !== prev.lastSeq + 1) {
      return { ok: false, code: 'SEQ_GAP', message: `Block ${next.height} starts at seq ${next.firstSeq}, but block ${prev.height} ended at seq ${prev.lastSeq}; the next block must start at ${prev.lastSeq + 1}.` };
    }
    const expectedSize = prev.treeSize + eventCount(next);
    if (next.treeSize !== expectedSize) {
      return { ok: false, code: 'BAD_TREE_SIZE', message: `Block ${next.height} seals ${eventCount(next)} events on a tree of ${prev.treeSize}, so its tree size must be ${expectedSize}, not ${next.treeSize}.` };
    }
    return { ok: true };
  } catch (err) {
    return { ok: false, code: 'INVALID_HEADER', message: `The headers could not be checked: ${err instanceof Error ? err.message : String(err)}.` };
  }
}
