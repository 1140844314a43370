// Audits the database with some tampering applied inside a transaction that is rolled back afterwards: the
// stored state is changed only for the audit's eyes, and the suite's server goes on unchanged.
import assert from 'node:assert/strict';
import { DataSource, QueryRunner } from 'typeorm';
import { AuditFailure, auditDatabase, AuditReport } from '@pharmatrace/audit';

/** The audit's first failure once `tamper` has run; fails the test when the audit still passes. */
export async function auditTampered(dataSource: DataSource, tamper: (t: QueryRunner) => Promise<unknown>): Promise<AuditFailure> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  try {
    await tamper(runner);
    const report = await auditDatabase(runner);
    assert.equal(report.ok, false, 'the tampering went unnoticed');
    return (report as Extract<AuditReport, { ok: false }>).failure;
  } finally {
    await runner.rollbackTransaction();
    await runner.release();
  }
}
