// BullMQ on Redis when REDIS_URL is set, otherwise on BullMQ's PostgreSQL backend in the same database.
// The rest of the code gets Queue and Worker instances from here and never knows which backend it is on.
import { createPostgresBackend, Queue, Worker, withBackend, Processor, WorkerOptions } from 'bullmq';
import { AppConfig, queueMode } from '@pharmatrace/config';
import { JobName, JobPayloads, QueueName } from './queue-names';
import { closeWithin } from './close-within';
import { ClosableRedis } from './closable-redis';

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

/**
 * A Worker on Redis whose close(true) forces even when a graceful close() is already under way. BullMQ
 * answers close(true) during close() with the pending graceful close, which waits for Redis to finish
 * the active jobs and so never ends while Redis is unreachable, leaving the worker's lock-renewal and
 * stalled-job timers running. Here close(true) first disconnects the worker's own connection and its
 * blocking copy: every pending command fails at once, and the close under way completes.
 */
class RedisWorker extends Worker<AnyPayload, unknown, JobName> {
  constructor(
    name: QueueName,
    processor: Processor<AnyPayload, unknown, JobName>,
    opts: WorkerOptions,
    private readonly client: ClosableRedis,
  ) {
    super(name, processor, opts);
  }

  override close(force = false): Promise<void> {
    if (force) this.client?.disconnectAll();
    return super.close(force);
  }
}

export function createQueueBackend(config: AppConfig, databaseUrl: string): QueueBackendHandle {
  const queues = new Map<QueueName, Queue<AnyPayload, unknown, JobName>>();
  const workers: Array<Worker<AnyPayload, unknown, JobName>> = [];

  if (queueMode(config) === 'redis') {
    const redisUrl = config.redisUrl as string;
    // Producers fail fast while Redis is down (the API keeps accepting events; the sealer's timer
    // catches up), instead of queueing commands in memory without bound.
    const shared = new ClosableRedis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
    shared.on('error', () => undefined); // reconnects by itself; health reports the outage
    const clients: ClosableRedis[] = [shared];
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
        // The worker's own connection; BullMQ adds a blocking copy of it (ClosableRedis.duplicate).
        const connection = new ClosableRedis(redisUrl, { maxRetriesPerRequest: null });
        connection.on('error', () => undefined);
        clients.push(connection);
        const w = new RedisWorker(name, processor, { connection, prefix: config.queuePrefix, concurrency } as WorkerOptions, connection);
        w.on('error', () => undefined);
        workers.push(w);
        return w;
      },
      async ping() {
        await shared.ping();
      },
      async close() {
        // Bounded whether or not Redis is reachable: a worker still closing after 3 s (Redis down with a
        // job active) is forced, and the forced close is waited for at most 3 s more.
        await Promise.all(workers.map((w) => closeWithin(() => w.close(), () => w.close(true))));
        await Promise.all([...queues.values()].map((q) => closeWithin(() => q.close(), () => undefined)));
        // QUIT while Redis answers; otherwise (or if it stops answering) disconnect without waiting.
        const quitting: Promise<void>[] = [];
        for (const c of clients) {
          if (c.status === 'ready') quitting.push(closeWithin(() => c.quit(), () => c.disconnectAll()));
          else c.disconnectAll();
        }
        await Promise.all(quitting);
        // Whatever is still connected or reconnecting (a copy that was reconnected meanwhile) is ended too.
        for (const c of clients) c.disconnectAll();
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
