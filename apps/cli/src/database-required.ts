// Commands that read the database directly (audit, export) must never create an embedded database by
// accident: run in a folder without one and with nothing configured, they say what to pass instead.
import { existsSync } from 'node:fs';
import { type AppConfig, databaseMode } from '@pharmatrace/config';
import { UsageError } from './args';

/**
 * Throws a UsageError (exit code 2) unless DATABASE_URL is set or the embedded data folder
 * (PHARMATRACE_DATA_DIR, default ./.data) already exists; so `cli audit` in an empty folder never
 * leaves a stray ./.data behind.
 */
export function requireConfiguredDatabase(config: AppConfig, command: string): void {
  if (databaseMode(config) === 'external' || existsSync(config.dataDir)) return;
  throw new UsageError(
    `${command}: no database is configured (no DATABASE_URL, and no data folder at ${config.dataDir}). ` +
      'Pass --server URL --key REGULATOR_KEY_FILE to work through a running server, set DATABASE_URL, or set PHARMATRACE_DATA_DIR to an existing data folder.',
  );
}
