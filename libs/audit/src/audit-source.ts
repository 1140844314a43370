// What the replay engine reads and what it plugs in. The engine only knows these interfaces, so the same
// replay runs on the database (every table, in one snapshot) and on a server's API (what it publishes).
import type { BlockHeader, EventEnvelope, NodeRef } from '@pharmatrace/ledger-core';
import type { AuditFailure } from './audit-failure';
import type { ParticipantStateReader } from './projections/participant-state';
import type { AssetHeadStateReader } from './projections/asset-heads-projection';
import type { PrescriptionStateReader } from './projections/prescriptions-projection';
import type { PackStateReader } from './projections/pack-states-projection';
import type { RecallStateReader } from './projections/recall-state';

export interface SourceEvent {
  seq: number;
  /** The stored hash: the event's identity, its leaf and the next prev of its assets. */
  hash: string;
  sig: string;
  /** The stored bytes exactly as hashed (database); null when the source only gives the parsed event. */
  body: string | null;
  /** The parsed event, when there is no body. */
  event?: unknown;
  /** Envelope fields the database keeps in their own columns; they must agree with the body. */
  columns?: { eventId: string; type: string; actor: string; kid: string; at: string };
  /** The stored per-asset links of this event (event_assets), when the source has them. */
  links?: Array<{ assetId: string; prev: string | null }>;
}

export interface SourceBlock {
  header: BlockHeader;
  /** The stored header hash (a convenience copy, checked against the header). */
  headerHash: string;
  kid: string;
  sig: string;
}

export interface LedgerKeyRecord {
  kid: string;
  /** base64url of the raw Ed25519 public key */
  publicKey: string;
}

export const nodeKey = (level: number, index: number): string => `${level}:${index}`;

export interface AuditSource {
  /** For messages: `database`, `https://…`. */
  readonly description: string;
  /** True when the ledger may grow while it is read (an API); a database snapshot does not move. */
  readonly live: boolean;
  /** Events per page the source serves best. */
  readonly pageSize: number;
  /** Events with seq > afterSeq in seq order, at most `limit`. */
  events(afterSeq: number, limit: number): Promise<SourceEvent[]>;
  /** Blocks with height > afterHeight in height order, at most `limit`. */
  blocks(afterHeight: number, limit: number): Promise<SourceBlock[]>;
  ledgerKeys(): Promise<LedgerKeyRecord[]>;
  /** The log's own count of appended events (its counter), when the source keeps one. */
  appendedCount?(): Promise<number>;
  /** The stored perfect subtrees among `refs` (keyed by nodeKey); absent ones are simply not in the map. */
  merkleNodes?(refs: NodeRef[]): Promise<Map<string, Uint8Array>>;
  /** The first stored node (by level, then index) outside the tree of `treeSize` leaves, or null. */
  firstNodeBeyond?(treeSize: number): Promise<NodeRef | null>;
  readonly participantState?: ParticipantStateReader;
  readonly assetHeadState?: AssetHeadStateReader;
  readonly prescriptionState?: PrescriptionStateReader;
  readonly packState?: PackStateReader;
  readonly recallState?: RecallStateReader;
}

/** An event that passed the envelope checks, as projections see it. */
export interface ReplayedEvent {
  seq: number;
  hash: string;
  event: EventEnvelope;
}

export type SignerResolution = { ok: true; publicKey: Uint8Array } | { ok: false; failure: AuditFailure };

/** Who could sign an event at its place in the log: replayed from the participant and key events. */
export interface SignerResolver {
  /** Asked before the event is applied, so the answer reflects the state just before it. */
  signerOf(e: ReplayedEvent): SignerResolution;
}

/**
 * Derived state rebuilt from the events and compared with what the source stores. Each domain adds its
 * own (participants and keys, asset heads, later custody, …); the engine needs no change for that.
 */
export interface StateProjection {
  readonly name: string;
  /** Applies an event whose signature and chain links were checked; a failure if the rules would refuse it. */
  apply(e: ReplayedEvent): AuditFailure | null;
  /** Compares the replayed state with the stored one; the first mismatch, or null. */
  compare(): Promise<AuditFailure | null>;
}
