import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogLevel } from '@nestjs/common';
import { Runtime } from '@pharmatrace/runtime';
import { ApiModule } from './api.module';
import { installRequestBodyHandling } from './http/request-body';
import { installResponseSizeLimit } from './http/response-size';
import { installRateLimitStatus } from './rate-limit/rate-limit.guard';
import { answerBadUrl } from './digital-link/bad-url';

/** Largest request body: a 1,000-event batch of signed commissioning events fits. */
const BODY_LIMIT_BYTES = 16 * 1024 * 1024;
const LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug'];

/** Builds the HTTP app (GraphQL at /graphql, /health) on Fastify and starts listening. */
export async function createApi(runtime: Runtime, port = runtime.config.port): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forRuntime(runtime), new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES, frameworkErrors: answerBadUrl }), {
    logger: LEVELS.slice(0, LEVELS.indexOf(runtime.config.logLevel) + 1),
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  installRequestBodyHandling(fastify, BODY_LIMIT_BYTES);
  installResponseSizeLimit(fastify, runtime.config.limits.responseMaxBytes);
  installRateLimitStatus(fastify);
  await app.listen(port, runtime.config.host);
  return app;
}
