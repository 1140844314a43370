import { Module, OnModuleInit } from '@nestjs/common';
import { AccessModule } from '@pharmatrace/access';
import { DispensingModule, InactivePackRefusals } from '@pharmatrace/dispensing';
import { ScanRecorder } from './scan-recorder.service';
import { AlertService } from './alerts/alert-service';

/**
 * Public scans and the verification alerts they raise, API side: recording scans, reading and updating alerts,
 * and the counter's refused attempts at inactive packs (EMVS A24). The clone rules run in the worker
 * (ScanAlertsWorkerModule).
 */
@Module({
  imports: [AccessModule, DispensingModule],
  providers: [ScanRecorder, AlertService],
  exports: [ScanRecorder, AlertService],
})
export class ScanAlertsModule implements OnModuleInit {
  constructor(
    private readonly refusals: InactivePackRefusals,
    private readonly alerts: AlertService,
  ) {}

  onModuleInit(): void {
    this.refusals.listen((r) => this.alerts.recordCounterRefusal(r.packId, r.participantId, r.at));
  }
}
