import { NestFactory } from '@nestjs/core';
import { INestApplicationContext, LogLevel } from '@nestjs/common';
import { Runtime } from '@pharmatrace/runtime';
import { WorkerModule } from './worker.module';

const LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug'];

export async function createWorker(runtime: Runtime): Promise<INestApplicationContext> {
  const ctx = await NestFactory.createApplicationContext(WorkerModule.forRuntime(runtime), {
    logger: LEVELS.slice(0, LEVELS.indexOf(runtime.config.logLevel) + 1),
  });
  ctx.enableShutdownHooks();
  await ctx.init();
  return ctx;
}
