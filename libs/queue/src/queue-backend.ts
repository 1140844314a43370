// BullMQ on Redis when REDIS_URL is set, otherwise on BullMQ's PostgreSQL backend in the same database.
// The rest of the code gets Queue and Worker instances from here and never knows which backend it is on.
import { createPostgresBackend, Queue, Worker, withBackend, Processor, WorkerOptions } from 'bullmq';
import IORedis from 'ioredis';
import { AppConfig, queueMode } from '@pharmatrace/config';
import { JobName, JobPayloads, QueueName } from './queue-names';
import { closeWithin } from './close-within';

export type PayloadOf<N extends JobName> = JobPayloads[N];
export type AnyPayload = JobPayloads[JobName];

export interface QueueBackendHandle {
  readonly mode: 'redis' | 'postgres';
  queue(name: QueueName): Queue<AnyPayload, unknown, JobName>;
  worker(name: QueueName, processor: Processor<AnyPayload, unknown, JobName>, concurrency?: number): Worker<AnyPayload, unknown, JobName>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

const POSTGRES_SCHEMA = 'bullmq';

export function createQueueBackend(config: AppConfig, databaseUrl: string): QueueBackendHandle {
  const queues = new Map<QueueName, Queue<AnyPayload, unknown, JobName>>();
  const workers: Array<Worker<AnyPayload, unknown, JobName>> = [];
  const closers: Array<() => Promise<unknown>> = [];

  if (queueMode(config) === 'redis') {
    const redisUrl = config.redisUrl as string;
    // Producers fail fast while Redis is down (the API keeps accepting events; the sealer's timer
    // catches up), instead of queueing commands in memory without bound.
    const shared = new IORedis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
    shared.on('error', () => undefined); // reconnects by itself; health reports the outage
    closers.push(() => closeWithin(() => shared.quit(), () => shared.disconnect()));
    return {
      mode: 'redis',
      queue(name) {
        let q = queues.get(name);
        if (!q) {
          q = new Queue<AnyPayload, unknown, JobName>(name, { connection: shared, prefix: config.queuePrefix });
          q.on('error', () => undefined); // outages surface through /health and failed adds, not as log noise
          queues.set(name, q);
        }
        return q;
      },
      worker(name, processor, concurrency = 1) {
        const connection = new IORedis(redisUrl, { maxRetriesPerRequest: null });
        connection.on('error', () => undefined);
        const w = new Worker<AnyPayload, unknown, JobName>(name, processor, {
          connection,
          prefix: config.queuePrefix,
          concurrency,
        } as WorkerOptions);
        w.on('error', () => undefined);
        workers.push(w);
        closers.push(() => closeWithin(() => connection.quit(), () => connection.disconnect()));
        return w;
      },
      async ping() {
        await shared.ping();
      },
      async close() {
        await Promise.all(workers.map((w) => closeWithin(() => w.close(), () => void w.close(true).catch(() => undefined))));
        await Promise.all([...queues.values()].map((q) => closeWithin(() => q.close(), () => undefined)));
        for (const c of closers) await c();
      },
    };
  }

  const pg = withBackend(createPostgresBackend);
  const connection = { connectionString: databaseUrl, schema: `${POSTGRES_SCHEMA}_${config.queuePrefix}`, migrate: true, max: 5 };
  return {
    mode: 'postgres',
    queue(name) {
      let q = queues.get(name);
      if (!q) {
        q = new pg.Queue<AnyPayload, unknown, JobName>(name, { connection }) as unknown as Queue<AnyPayload, unknown, JobName>;
        q.on('error', () => undefined);
        queues.set(name, q);
      }
      return q;
    },
    worker(name, processor, concurrency = 1) {
      const w = new pg.Worker<AnyPayload, unknown, JobName>(name, processor, { connection, concurrency }) as unknown as Worker<
        AnyPayload,
        unknown,
        JobName
      >;
      w.on('error', () => undefined);
      workers.push(w);
      return w;
    },
    async ping() {
      const q = this.queue('system');
      await q.getJobCounts('waiting');
    },
    async close() {
      await Promise.all(workers.map((w) => closeWithin(() => w.close(), () => void w.close(true).catch(() => undefined))));
      await Promise.all([...queues.values()].map((q) => closeWithin(() => q.close(), () => undefined)));
    },
  };
}
