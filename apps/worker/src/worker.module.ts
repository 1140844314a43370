import { DynamicModule, Module } from '@nestjs/common';
import { Runtime, RuntimeModule } from '@pharmatrace/runtime';
import { SystemProcessor } from './processors/system.processor';

/** The queue process: processors only — no HTTP, no GraphQL. */
@Module({})
export class WorkerModule {
  static forRuntime(runtime: Runtime): DynamicModule {
    return { module: WorkerModule, imports: [RuntimeModule.forRuntime(runtime)], providers: [SystemProcessor] };
  }
}
