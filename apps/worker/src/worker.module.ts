import { DynamicModule, Module } from '@nestjs/common';
import { SealingModule } from '@pharmatrace/ledger';
import { ColdChainEvaluationModule } from '@pharmatrace/cold-chain';
import { Runtime, RuntimeModule } from '@pharmatrace/runtime';
import { SealProcessor } from './processors/seal.processor';
import { SystemProcessor } from './processors/system.processor';
import { ColdChainProcessor } from './processors/cold-chain.processor';
import { NotificationsWorkerModule } from '@pharmatrace/notifications';
import { NotificationsProcessor } from './processors/notifications.processor';
import { ScanAlertsWorkerModule } from '@pharmatrace/scan-alerts';
import { ScansProcessor } from './processors/scans.processor';

/** The queue process: processors only — no HTTP, no GraphQL. */
@Module({})
export class WorkerModule {
  static forRuntime(runtime: Runtime): DynamicModule {
    return {
      module: WorkerModule,
      imports: [RuntimeModule.forRuntime(runtime), SealingModule, ColdChainEvaluationModule, NotificationsWorkerModule, ScanAlertsWorkerModule],
      providers: [SystemProcessor, SealProcessor, ColdChainProcessor, NotificationsProcessor, ScansProcessor],
    };
  }
}
