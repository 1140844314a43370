// Ready-made audits on Node: the database (inside a transaction the caller holds) or a server's API,
// with node:crypto's Ed25519 verifier, ~13x faster than the portable one on long replays.
import { NodeCryptoVerifier } from '@pharmatrace/ledger-core/node-crypto-verifier';
import type { PharmaTraceClient } from '@pharmatrace/sdk';
import type { AuditReport } from './audit-failure';
import { AuditOptions, runAudit } from './audit-engine';
import { ApiAuditSource } from './sources/api-audit-source';
import { DatabaseAuditSource } from './sources/database-audit-source';
import type { SqlRunner } from './sources/sql-runner';

const withNodeVerifier = (options: AuditOptions): AuditOptions => ({ verifier: new NodeCryptoVerifier(), ...options });

/** Audits the database through `db`, which must be inside a transaction (see withDatabaseSnapshot). */
export async function auditDatabase(db: SqlRunner, options: AuditOptions = {}): Promise<AuditReport> {
  const source = new DatabaseAuditSource(db);
  try {
    return await runAudit(source, withNodeVerifier(options));
  } finally {
    // After a failed statement the transaction is aborted and CLOSE fails too; the first error is the one to see.
    await source.close().catch(() => undefined);
  }
}

/** Audits a running server through its API, signed in with a regulator's key. */
export function auditApi(regulator: PharmaTraceClient, options: AuditOptions = {}): Promise<AuditReport> {
  return runAudit(new ApiAuditSource(regulator), withNodeVerifier(options));
}
