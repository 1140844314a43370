export * from './scan-alerts.module';
export * from './scan-recorder.service';
