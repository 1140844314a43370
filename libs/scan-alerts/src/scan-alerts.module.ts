import { Module } from '@nestjs/common';
import { ScanRecorder } from './scan-recorder.service';

/** Public scans and the verification alerts they raise, API side (the clone rules run in the worker). */
@Module({
  providers: [ScanRecorder],
  exports: [ScanRecorder],
})
export class ScanAlertsModule {}
