// The audit's verdict vocabulary: every way the replay can disagree with what is stored has one stable
// code (operators script against them, like API error codes), and a failure names where it happened.

export const AUDIT_CODES = {
  // the event log
  EVENT_MISSING: 'An event is missing from the log (a gap in the sequence numbers, or fewer events than the log counter says).',
  EVENT_OUT_OF_ORDER: 'The log repeats a sequence number or goes backwards.',
  LOG_COUNTER_MISMATCH: 'The log counter says fewer events were appended than the log holds.',
  EVENT_HASH_MISMATCH: 'The stored event content does not hash to its stored hash: it was changed after it was signed.',
  EVENT_NOT_CANONICAL: 'The stored event body is not the RFC 8785 canonical JSON that was hashed and signed.',
  EVENT_ENVELOPE_INVALID: 'The stored event is not a valid event envelope.',
  EVENT_COLUMNS_MISMATCH: 'A column copied from the event (type, actor, kid, at, id) disagrees with the event body.',
  SIGNER_UNKNOWN: 'The event names a participant or key that was not registered when it was accepted.',
  SIGNER_KEY_REVOKED: 'The event is signed by a key that had been revoked before it.',
  SIGNER_SUSPENDED: 'The event is signed by a participant that was suspended at the time.',
  SIGNATURE_INVALID: 'The signature does not verify with the key that was valid at the time.',
  PREV_MISMATCH: 'An asset’s prev is not the head of that asset as replayed from the events before it.',
  EVENT_ASSETS_MISMATCH: 'The stored per-asset links of the event (event_assets) disagree with its envelope.',
  EVENT_NOT_APPLICABLE: 'The rules would have refused the event in the state the events before it produce.',
  // the Merkle tree
  LEAF_MISMATCH: 'The stored leaf of an event is not the leaf hash of the event.',
  TREE_NODE_MISMATCH: 'A stored tree node is not the hash of the nodes below it.',
  TREE_NODE_MISSING: 'A tree node of a sealed block is not stored.',
  TREE_NODE_EXTRA: 'A tree node is stored beyond the tree of the last block.',
  // the blocks
  BLOCK_MISSING: 'A block is missing from the chain of blocks.',
  BLOCK_HEADER_INVALID: 'A stored block header is malformed.',
  BLOCK_LINK_BROKEN: 'A block does not follow the previous one (height, previous header hash, sequence or tree size).',
  BLOCK_ROOT_MISMATCH: 'A block’s root is not the root of the tree of the events it seals.',
  BLOCK_HASH_MISMATCH: 'A block’s stored header hash is not the hash of its header.',
  BLOCK_KEY_UNKNOWN: 'A block is signed by a key that is not a (pinned) ledger key.',
  BLOCK_SIGNATURE_INVALID: 'A block header’s signature does not verify with the ledger key.',
  BLOCK_BEYOND_LOG: 'A block seals events that the log does not have.',
  // derived state
  PARTICIPANT_STATE_MISMATCH: 'A stored participant differs from the one the events produce.',
  KEY_STATE_MISMATCH: 'A stored participant key differs from the one the events produce.',
  ASSET_HEAD_MISMATCH: 'A stored asset head differs from the last event on that asset.',
  PRESCRIPTION_STATE_MISMATCH: 'A stored prescription differs from the one the events produce (remaining packs, state, prescriber, …).',
  PACK_STATE_MISMATCH: 'A pack’s stored state differs from the one the last dispensing event on it (supplied, decommissioned, undone) produces.',
  RECALL_MISMATCH: 'A stored recall differs from the one its events produce (class, instructions, state, revisions, ingredient lots, batches covered, acknowledgements, …).',
  RECALLED_PACK_MISMATCH: 'A pack of a batch a recall covers is stored in a state the recall turns into recalled (active, in transit, quarantined, locked, expired).',
} as const;

export type AuditCode = keyof typeof AUDIT_CODES;

/** The first thing that does not match: what (code), where (an event, a block, a state row) and why. */
export interface AuditFailure {
  code: AuditCode;
  /** e.g. `event #57 (hash 3f…)`, `block 3`, `participant maker-1`. */
  where: string;
  why: string;
  seq?: number;
  height?: number;
}

export const eventWhere = (seq: number, hash?: string): string => (hash ? `event #${seq} (hash ${hash})` : `event #${seq}`);

export function eventFailure(code: AuditCode, seq: number, hash: string | undefined, why: string): AuditFailure {
  return { code, where: eventWhere(seq, hash), why, seq };
}

export function blockFailure(code: AuditCode, height: number, why: string): AuditFailure {
  return { code, where: `block ${height}`, why, height };
}

export interface AuditHead {
  height: number;
  rootHash: string;
  treeSize: number;
}

export interface AuditCounts {
  /** Events replayed and found correct (on failure: before the failing one). */
  events: number;
  /** Blocks verified. */
  blocks: number;
  /** Events after the last block: checked for everything but the tree. */
  unsealed: number;
  elapsedMs: number;
}

export type AuditReport = (AuditCounts & { ok: true; head: AuditHead | null }) | (AuditCounts & { ok: false; failure: AuditFailure });

/** The one line the CLI prints on stdout. */
export function verdictLine(report: AuditReport): string {
  if (!report.ok) return `AUDIT FAILED: ${report.failure.code}: ${report.failure.where} — ${report.failure.why}`;
  const head = report.head ? `head ${report.head.height} root ${report.head.rootHash}` : 'head 0 root (no block sealed yet)';
  return `AUDIT OK: ${report.events} events, ${report.blocks} blocks, ${head}`;
}
