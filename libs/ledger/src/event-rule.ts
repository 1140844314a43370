// What a domain contributes to the signed-event pipeline: one rule per event type, and the directory
// that says who signed. The pipeline itself knows no domain.
import { EntityManager } from 'typeorm';
import { EventData, EventEnvelope } from '@pharmatrace/ledger-core';
import type { DomainError } from '@pharmatrace/errors';

import { SignerRole } from './participant-roles';

export { PARTICIPANT_ROLES, ParticipantRole, SignerRole, SYSTEM_ACTOR } from './participant-roles';

/** The participant and key behind an event's (actor, kid). */
export interface Signer {
  participantId: string;
  role: SignerRole;
  status: 'active' | 'suspended';
  kid: string;
  keyStatus: 'active' | 'revoked';
  publicKey: Uint8Array;
  /** ISO date (YYYY-MM-DD) after which the participant's licence no longer allows it to act. */
  licenceExpiresOn: string;
}

export type SignerLookup = { found: true; signer: Signer } | { found: false; reason: 'UNKNOWN_ACTOR' | 'UNKNOWN_KEY' };

/**
 * Read access on the write path: whether a signer may see an asset's current head. When it may not (the
 * item left its hands, another participant's record), a wrong prev must not be answered with STALE_PREV
 * and the head, which would reveal what happened since; the adapter names the answer to give instead,
 * the same as for an asset that does not exist (libs/access).
 */
export interface AssetVisibility {
  hiddenAsset(manager: EntityManager, signer: Signer, assetId: string): Promise<DomainError | null>;
}

export interface SignerDirectory {
  findSigner(manager: EntityManager, actor: string, kid: string): Promise<SignerLookup>;
}

export interface ApplyContext<D extends EventData> {
  manager: EntityManager;
  event: EventEnvelope<D>;
  hash: string;
  seq: number;
  signer: Signer;
  /** Server time of acceptance. */
  now: Date;
}

export type EventResult = Record<string, string | number | boolean | null | string[]>;

export interface EventRule<D extends EventData = EventData> {
  type: string;
  /** Roles allowed to sign this event type. */
  roles: readonly SignerRole[];
  /** True when applying it changes who may sign (participants, keys): cached signers are dropped. */
  changesSigners?: boolean;
  /**
   * Most events of this type one call may carry, whatever mutation carries them (e.g. 10 readings uploads
   * of 1,000 readings each); the pipeline refuses more with BATCH_TOO_LARGE before taking the log lock.
   */
  maxPerCall?: number;
  /** Checks `data` (throws DomainError INVALID_EVENT_DATA) and returns it typed. */
  parse(event: EventEnvelope): EventEnvelope<D>;
  /**
   * Only for the event that creates the very first participant of a deployment: the signer is the key
   * carried in the event itself. Returns null when the event is not such a genesis.
   */
  genesisSigner?(manager: EntityManager, event: EventEnvelope<D>): Promise<Signer | null>;
  /**
   * Assets the event creates without listing them (bulk creation, e.g. the packs a commissioning event
   * names in its data). Each must be new; its chain starts at this event. The audit uses the same function.
   */
  implicitAssets?(event: EventEnvelope<D>): string[];
  /**
   * Assets listed in `assets` that the event creates (each must cite prev null). When one already exists the
   * pipeline refuses with ALREADY_REGISTERED — nothing is stale, the id is taken — whatever prev it cites.
   */
  createdAssets?(event: EventEnvelope<D>): string[];
  /** The ALREADY_REGISTERED sentence for an id this event would create: names it and says what to do instead. */
  alreadyRegistered?(assetId: string): string;
  /** Applies the event's effects inside the pipeline's transaction; throws DomainError to refuse it. */
  apply(ctx: ApplyContext<D>): Promise<EventResult>;
}
