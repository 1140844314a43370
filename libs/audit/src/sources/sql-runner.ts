// The one thing the database adapters need from a connection: run a statement, get its rows.

/** One connection in a transaction: a TypeORM QueryRunner or EntityManager, or a pg client, fits. */
export interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

export async function rowsOf<T>(db: SqlRunner, sql: string, parameters: unknown[] = []): Promise<T[]> {
  const result = await db.query(sql, parameters);
  // TypeORM returns the rows; a bare pg client returns { rows }.
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
