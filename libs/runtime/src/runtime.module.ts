import { DynamicModule, Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '@pharmatrace/config';
import { QUEUE_BACKEND } from '@pharmatrace/queue';
import { Runtime } from './runtime';

/** Makes the process's configuration, DataSource and queue backend injectable everywhere. */
@Global()
@Module({})
export class RuntimeModule {
  static forRuntime(runtime: Runtime): DynamicModule {
    return {
      module: RuntimeModule,
      providers: [
        { provide: APP_CONFIG, useValue: runtime.config },
        { provide: DataSource, useValue: runtime.dataSource },
        { provide: QUEUE_BACKEND, useValue: runtime.queues },
      ],
      exports: [APP_CONFIG, DataSource, QUEUE_BACKEND],
    };
  }
}
