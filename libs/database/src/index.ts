export * from './data-source';
export * from './embedded-postgres';
export * from './migrate';
export * from './database-unavailable';
