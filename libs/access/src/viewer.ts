import type { ParticipantRole } from '@pharmatrace/ledger';

/** Who is asking: a signed-in participant (anonymous callers only reach @Public resolvers). */
export interface Viewer {
  participantId: string;
  role: ParticipantRole;
}

/**
 * How far along an asset's chain a viewer may read, as a ledger sequence number: events with
 * `seq <= horizon` are visible. `NOTHING` hides the asset entirely (it answers as if it did not exist);
 * `EVERYTHING` shows the whole chain and the asset's current state.
 */
export const NOTHING = -1;
export const EVERYTHING = Number.MAX_SAFE_INTEGER;
