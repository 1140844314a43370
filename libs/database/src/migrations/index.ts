import { LedgerAndParticipants1763700000000 } from './1763700000000-ledger-and-participants';

/** Every migration, in order. Listed explicitly so they run the same from source and from a build. */
export const migrations = [LedgerAndParticipants1763700000000];
