import { DynamicModule, Module } from '@nestjs/common';
import { SealingModule } from '@pharmatrace/ledger';
import { Runtime, RuntimeModule } from '@pharmatrace/runtime';
import { SealProcessor } from './processors/seal.processor';
import { SystemProcessor } from './processors/system.processor';

/** The queue process: processors only — no HTTP, no GraphQL. */
@Module({})
export class WorkerModule {
  static forRuntime(runtime: Runtime): DynamicModule {
    return { module: WorkerModule, imports: [RuntimeModule.forRuntime(runtime), SealingModule], providers: [SystemProcessor, SealProcessor] };
  }
}
