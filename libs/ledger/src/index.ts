export * from './event-rule';
export * from './event-rule-registry';
export * from './event-pipeline.service';
export * from './ledger-reader.service';
export * from './ledger.module';
export * from './event-data-reader';
