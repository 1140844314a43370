// A Nest application context for CLI commands that work on the database directly (init, migrate):
// the ledger pipeline and participants, no HTTP and no queue consumers.
import { NestFactory } from '@nestjs/core';
import { INestApplicationContext, Module, DynamicModule } from '@nestjs/common';
import { LedgerModule } from '@pharmatrace/ledger';
import { ParticipantsModule } from '@pharmatrace/participants';
import { Runtime, RuntimeModule } from '@pharmatrace/runtime';

@Module({})
class CliModule {
  static forRuntime(runtime: Runtime): DynamicModule {
    return { module: CliModule, imports: [RuntimeModule.forRuntime(runtime), LedgerModule, ParticipantsModule] };
  }
}

export async function createCliContext(runtime: Runtime): Promise<INestApplicationContext> {
  const ctx = await NestFactory.createApplicationContext(CliModule.forRuntime(runtime), { logger: ['error', 'warn'] });
  await ctx.init();
  return ctx;
}
