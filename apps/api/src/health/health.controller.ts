import { Controller, Get, HttpStatus, Inject, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig, databaseMode } from '@pharmatrace/config';
import { QUEUE_BACKEND, QueueBackendHandle, QueueNames } from '@pharmatrace/queue';

interface Check {
  ok: boolean;
  mode: string;
  error?: string;
}

/** GET /health — the database and the queue; `?probe=true` also proves a worker consumes jobs. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(QUEUE_BACKEND) private readonly queues: QueueBackendHandle,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async health(@Query('probe') probe: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const database = await this.check(databaseMode(this.config), () => this.dataSource.query('SELECT 1'));
    const queue: Check & { workers?: number; roundTripMs?: number } = await this.check(this.queues.mode, () =>
      withTimeout(this.queues.ping(), 2000),
    );
    if (queue.ok) {
      queue.workers = await withTimeout(this.queues.queue(QueueNames.system).getWorkersCount(), 2000).catch(() => -1);
      if (probe === 'true') {
        try {
          queue.roundTripMs = await this.roundTrip();
        } catch (e) {
          queue.ok = false;
          queue.error = `no worker answered the probe: ${String(e)}`;
        }
      }
    }
    const ok = database.ok && queue.ok;
    await reply.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).send({ status: ok ? 'ok' : 'unavailable', database, queue });
  }

  private async check(mode: string, run: () => Promise<unknown>): Promise<Check> {
    try {
      await run();
      return { ok: true, mode };
    } catch (e) {
      return { ok: false, mode, error: e instanceof Error ? e.message : String(e) };
    }
  }

  private async roundTrip(): Promise<number> {
    const started = Date.now();
    const job = await this.queues.queue(QueueNames.system).add(
      'health-probe',
      { sentAt: new Date().toISOString(), nonce: randomUUID() },
      { removeOnComplete: 100, removeOnFail: 100 },
    );
    while (Date.now() - started < 5000) {
      const state = await job.getState();
      if (state === 'completed') return Date.now() - started;
      if (state === 'failed') throw new Error('the probe job failed');
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('timed out after 5 s');
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref())]);
}
