// Runs work on one connection inside a REPEATABLE READ, READ ONLY transaction: every query sees the
// ledger as it was at the first one (events, tree, blocks and state agree with each other even while
// the server appends and seals), and nothing can be written by mistake.
import type { DataSource } from 'typeorm';
import type { SqlRunner } from './sql-runner';

export async function withDatabaseSnapshot<T>(dataSource: DataSource, work: (db: SqlRunner) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      return await work(runner);
    } finally {
      await runner.query('ROLLBACK');
    }
  } finally {
    await runner.release();
  }
}
