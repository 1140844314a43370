export * from './prescription-events';
export * from './prescription-errors';
export * from './prescription-queries.service';
export * from './prescriptions.module';
