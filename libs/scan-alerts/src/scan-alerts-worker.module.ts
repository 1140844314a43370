import { Module } from '@nestjs/common';
import { ScanJudge } from './worker/scan-judge.service';
import { AlertNotifier } from './worker/alert-notifier.service';

/** For the worker only: the clone rules applied to recorded scans, and alerts told to manufacturers and regulators. */
@Module({
  providers: [ScanJudge, AlertNotifier],
  exports: [ScanJudge, AlertNotifier],
})
export class ScanAlertsWorkerModule {}
