import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogLevel } from '@nestjs/common';
import { Runtime } from '@pharmatrace/runtime';
import { ApiModule } from './api.module';

const LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug'];

/** Builds the HTTP app (GraphQL at /graphql, /health) on Fastify and starts listening. */
export async function createApi(runtime: Runtime, port = runtime.config.port): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forRuntime(runtime), new FastifyAdapter({ bodyLimit: 16 * 1024 * 1024 }), {
    logger: LEVELS.slice(0, LEVELS.indexOf(runtime.config.logLevel) + 1),
  });
  await app.listen(port, runtime.config.host);
  return app;
}
