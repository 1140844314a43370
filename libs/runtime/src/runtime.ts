// The composition root shared by every process (api, worker, both together, the CLI and the tests):
// PostgreSQL (embedded or DATABASE_URL), migrations, and the queue backend (Redis or PostgreSQL).
import { DataSource } from 'typeorm';
import { AppConfig, databaseMode } from '@pharmatrace/config';
import { createDataSource, migrateWithLock, startEmbeddedPostgres } from '@pharmatrace/database';
import { createQueueBackend, QueueBackendHandle } from '@pharmatrace/queue';
import { ParticipantEntity, ParticipantKeyEntity } from '@pharmatrace/participants';

export const ENTITIES = [ParticipantEntity, ParticipantKeyEntity];

export interface Runtime {
  config: AppConfig;
  databaseUrl: string;
  dataSource: DataSource;
  queues: QueueBackendHandle;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Apply pending migrations at start (the embedded default does; real deployments run `npm run migrate`). */
  migrate?: boolean;
  /** Start the queue backend (the CLI does not need it). */
  queues?: boolean;
}

export async function startRuntime(config: AppConfig, options: RuntimeOptions = {}): Promise<Runtime> {
  const embedded = databaseMode(config) === 'embedded' ? await startEmbeddedPostgres(config.dataDir, config.embeddedPgPort) : null;
  const databaseUrl = embedded ? embedded.url : (config.databaseUrl as string);
  const dataSource = createDataSource(databaseUrl, ENTITIES);
  try {
    await dataSource.initialize();
    if (options.migrate ?? embedded !== null) await migrateWithLock(dataSource);
    else await assertMigrated(dataSource);
  } catch (e) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
    throw e;
  }
  const queues = createQueueBackend(config, databaseUrl);
  let closed = false;
  return {
    config,
    databaseUrl,
    dataSource,
    queues,
    async close() {
      if (closed) return;
      closed = true;
      await queues.close().catch(() => undefined);
      await dataSource.destroy().catch(() => undefined);
      await embedded?.stop();
    },
  };
}

async function assertMigrated(dataSource: DataSource): Promise<void> {
  if (await dataSource.showMigrations()) {
    throw new Error('The database has pending migrations: run `npm run migrate` first (real deployments migrate explicitly).');
  }
}
