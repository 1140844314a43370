// The witness: remembers the last block header it verified and accepts a newer head only if it is signed
// by the pinned ledger key, chained to the remembered header block by block, and proven (RFC 6962
// consistency proof) to extend the remembered tree. A server that rewrote its history cannot pass this
// without the rewrite showing, because the witness kept the old signed head.
import { keyIdOf, fromBase64Url } from '@pharmatrace/ledger-core';
import { BlockView, ConsistencyProofView, LedgerKeyView, PharmaTraceApiError, verifyBlock, verifyBlockConsistency, verifyChain } from '@pharmatrace/sdk';

/** What the witness reads; LedgerClient from the SDK is one. */
export interface WitnessLedger {
  latestBlock(): Promise<BlockView | null>;
  blocks(afterHeight: number, first?: number): Promise<BlockView[]>;
  consistencyProof(fromHeight: number, toHeight: number): Promise<ConsistencyProofView>;
  ledgerKeys(): Promise<LedgerKeyView[]>;
}

export interface WitnessState {
  format: 'pharmatrace-witness/v1';
  server: string;
  ledgerKey: LedgerKeyView;
  /** The newest head verified; null while the ledger has no block. */
  head: BlockView | null;
  checkedAt: string;
}

export const WITNESS_ALARMS = {
  LEDGER_KEY_CHANGED: 'The newest head is signed by another key than the pinned ledger key.',
  HEAD_SIGNATURE_INVALID: 'A head’s signature does not verify with the pinned ledger key.',
  HEAD_ROLLED_BACK: 'The server’s newest head is older than one this witness verified.',
  HEAD_FORKED: 'The server shows another head at a height this witness verified.',
  CHAIN_BROKEN: 'The new headers do not chain back to the head this witness verified.',
  NOT_AN_EXTENSION: 'The new tree is not proven to extend the tree this witness verified.',
} as const;

export type WitnessAlarmCode = keyof typeof WITNESS_ALARMS;

export type WitnessOutcome =
  | { kind: 'no-blocks' }
  | { kind: 'first'; head: BlockView; keySource: 'pinned' | 'first use' }
  | { kind: 'unchanged'; head: BlockView }
  | { kind: 'extended'; from: BlockView; to: BlockView }
  | { kind: 'alarm'; code: WitnessAlarmCode; message: string };

export interface WitnessCheck {
  outcome: WitnessOutcome;
  /** The state to save, or null to keep the old one (after an alarm it stays as evidence). */
  state: WitnessState | null;
}

const PAGE = 500;

/** A witness that cannot start as configured (wrong state file, key or server): retrying will not help. */
export class WitnessSetupError extends Error {
  readonly code = 'WITNESS_SETUP';
}

const alarm = (code: WitnessAlarmCode, message: string): WitnessCheck => ({ outcome: { kind: 'alarm', code, message }, state: null });
const describe = (b: BlockView): string => `block ${b.header.height} (tree size ${b.header.treeSize}, root ${b.header.rootHash})`;

/** The ledger key to trust: given on the command line, remembered, or (first use) the one that signs the newest head. */
async function pinnedKey(ledger: WitnessLedger, previous: WitnessState | null, given: string | undefined): Promise<{ key: LedgerKeyView; source: 'pinned' | 'first use' }> {
  if (given) {
    const key = { kid: keyIdOf(fromBase64Url(given)), publicKey: given };
    if (previous && previous.ledgerKey.publicKey !== given) {
      throw new WitnessSetupError(`The witness state pins ledger key ${previous.ledgerKey.kid}, not ${key.kid}; use a new state file to trust another key.`);
    }
    return { key, source: 'pinned' };
  }
  if (previous) return { key: previous.ledgerKey, source: 'pinned' };
  const [keys, latest] = await Promise.all([ledger.ledgerKeys(), ledger.latestBlock()]);
  const key = latest ? keys.find((k) => k.kid === latest.kid) : keys.length === 1 ? keys[0] : undefined;
  if (!key) throw new WitnessSetupError('The server publishes no ledger key this witness can pin; pass --ledger-key.');
  if (keyIdOf(fromBase64Url(key.publicKey)) !== key.kid) throw new WitnessSetupError(`The server's ledger key ${key.kid} does not match its kid.`);
  return { key, source: 'first use' };
}

/** The headers after `from` up to `to.height`, as the server lists them. */
async function headersBetween(ledger: WitnessLedger, from: BlockView, to: BlockView): Promise<BlockView[]> {
  const out: BlockView[] = [];
  for (let after = from.header.height; after < to.header.height;) {
    const page = (await ledger.blocks(after, PAGE)).filter((b) => b.header.height <= to.header.height);
    if (page.length === 0) break;
    out.push(...page);
    after = page[page.length - 1].header.height;
  }
  return out;
}

/** One witness check against `ledger`; `previous` is the saved state (null on first run). */
export async function witnessOnce(ledger: WitnessLedger, previous: WitnessState | null, options: { server: string; ledgerKey?: string }): Promise<WitnessCheck> {
  if (previous && previous.server !== options.server) {
    throw new WitnessSetupError(`The witness state belongs to ${previous.server}, not ${options.server}; use one state file per server.`);
  }
  const { key, source } = await pinnedKey(ledger, previous, options.ledgerKey);
  const next = (head: BlockView | null): WitnessState => ({ format: 'pharmatrace-witness/v1', server: options.server, ledgerKey: key, head, checkedAt: new Date().toISOString() });
  const seen = previous?.head ?? null;

  const latest = await ledger.latestBlock();
  if (!latest) {
    if (seen) return alarm('HEAD_ROLLED_BACK', `the server has no block at all, but this witness verified ${describe(seen)}.`);
    return { outcome: { kind: 'no-blocks' }, state: next(null) };
  }
  const signed = verifyBlock(latest, key.publicKey);
  if (!signed.ok) {
    if (latest.kid !== key.kid) return alarm('LEDGER_KEY_CHANGED', `${describe(latest)} is signed by ${latest.kid}, not by the pinned ledger key ${key.kid}.`);
    return alarm('HEAD_SIGNATURE_INVALID', signed.reason);
  }
  if (!seen) return { outcome: { kind: 'first', head: latest, keySource: source }, state: next(latest) };
  if (latest.header.height < seen.header.height) {
    return alarm('HEAD_ROLLED_BACK', `the newest head is ${describe(latest)}, but this witness verified ${describe(seen)}: history was cut back.`);
  }
  if (latest.header.height === seen.header.height) {
    if (latest.headerHash === seen.headerHash) return { outcome: { kind: 'unchanged', head: latest }, state: next(latest) };
    return alarm('HEAD_FORKED', `the server now signs ${describe(latest)} (header ${latest.headerHash}), but this witness verified header ${seen.headerHash} at that height: history was rewritten.`);
  }

  const headers = await headersBetween(ledger, seen, latest);
  const last = headers[headers.length - 1];
  if (!last || last.headerHash !== latest.headerHash) {
    return alarm('CHAIN_BROKEN', `the blocks the server lists after block ${seen.header.height} do not lead to its newest head, ${describe(latest)}.`);
  }
  for (const b of headers) {
    const v = verifyBlock(b, key.publicKey);
    if (!v.ok) return alarm('HEAD_SIGNATURE_INVALID', v.reason);
  }
  const chain = verifyChain(headers.map((b) => b.header), seen.header);
  if (!chain.ok) {
    return alarm('CHAIN_BROKEN', `the new headers do not chain back to ${describe(seen)} that this witness verified (${chain.reason}): history was rewritten.`);
  }

  let proof: ConsistencyProofView;
  try {
    proof = await ledger.consistencyProof(seen.header.height, latest.header.height);
  } catch (e) {
    // Refusing the proof for a height it once signed is the server's answer, not a network fault.
    if (!(e instanceof PharmaTraceApiError) || e.code === 'HTTP_ERROR') throw e;
    return alarm('NOT_AN_EXTENSION', `the server refuses a consistency proof from block ${seen.header.height}: ${e.code}: ${e.message}`);
  }
  const consistent = verifyBlockConsistency(seen, latest, proof, key.publicKey);
  if (!consistent.ok) return alarm('NOT_AN_EXTENSION', `${consistent.reason} (from ${describe(seen)} to ${describe(latest)}).`);
  return { outcome: { kind: 'extended', from: seen, to: latest }, state: next(latest) };
}

/** The line the CLI prints for an outcome. */
export function witnessLine(outcome: WitnessOutcome, ledgerKid: string): string {
  switch (outcome.kind) {
    case 'no-blocks':
      return 'WITNESS OK: the ledger has no block yet; nothing to remember.';
    case 'first':
      return `WITNESS OK: ${describe(outcome.head)} verified and remembered (ledger key ${ledgerKid}, ${outcome.keySource === 'first use' ? 'trusted on first use' : 'pinned'}).`;
    case 'unchanged':
      return `WITNESS OK: no new block; the head is still ${describe(outcome.head)}.`;
    case 'extended':
      return `WITNESS OK: ${describe(outcome.to)} extends block ${outcome.from.header.height} (tree size ${outcome.from.header.treeSize}): header chain and consistency proof verified.`;
    case 'alarm':
      return `WITNESS ALARM: ${outcome.code}: ${outcome.message}`;
  }
}
