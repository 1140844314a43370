export * from './custody-events';
export * from './custody-item.store';
export * from './custody-queries.service';
export * from './item-history.service';
export * from './custody.module';
