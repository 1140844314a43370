export * from './recall-events';
export * from './recall-errors';
export * from './recall-facts';
export * from './recall-queries.service';
export * from './recall-views';
export * from './recalls.module';
