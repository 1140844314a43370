import { LedgerAndParticipants1763700000000 } from './1763700000000-ledger-and-participants';
import { BlocksAndMerkleNodes1763800000000 } from './1763800000000-blocks-and-merkle-nodes';
import { CatalogAndCustody1763900000000 } from './1763900000000-catalog-and-custody';
import { ColdChain1764000000000 } from './1764000000000-cold-chain';
import { ReadAccessIndexes1764100000000 } from './1764100000000-read-access-indexes';
import { ShipmentVoided1764120000000 } from './1764120000000-shipment-voided';
import { Prescriptions1764200000000 } from './1764200000000-prescriptions';
import { EuFmdPackStates1764210000000 } from './1764210000000-eu-fmd-pack-states';
import { Dispensing1764220000000 } from './1764220000000-dispensing';
import { Recalls1764300000000 } from './1764300000000-recalls';
import { TracingIndexes1764310000000 } from './1764310000000-tracing-indexes';
import { Verification1764400000000 } from './1764400000000-verification';
import { AlertNotifications1764450000000 } from './1764450000000-alert-notifications';

/** Every migration, in order. Listed explicitly so they run the same from source and from a build. */
export const migrations = [LedgerAndParticipants1763700000000, BlocksAndMerkleNodes1763800000000, CatalogAndCustody1763900000000, ColdChain1764000000000, ReadAccessIndexes1764100000000, ShipmentVoided1764120000000, Prescriptions1764200000000, EuFmdPackStates1764210000000, Dispensing1764220000000, Recalls1764300000000, TracingIndexes1764310000000, Verification1764400000000, AlertNotifications1764450000000];
