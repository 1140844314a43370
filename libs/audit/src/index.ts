// Public surface of the ledger audit: the replay engine with its sources and projections, and the witness.
export * from './audit-failure';
export * from './audit-source';
export { runAudit, type AuditOptions, type AuditProgress } from './audit-engine';
export { AssetChains, type ReplayedHead } from './asset-chains';
export { LedgerKeyring } from './block-checks';
export { nodesCompletedBy } from './sealed-replay';
export * from './projections/participant-state';
export { ParticipantsProjection } from './projections/participants-projection';
export * from './projections/asset-heads-projection';
export type { SqlRunner } from './sources/sql-runner';
export { DatabaseAuditSource } from './sources/database-audit-source';
export { withDatabaseSnapshot } from './sources/database-snapshot';
export { ApiAuditSource } from './sources/api-audit-source';
export { auditApi, auditDatabase } from './audit-runners';
export * from './witness/witness';
export * from './witness/witness-state';
export { MemoryAuditSource } from './memory-audit-source';
