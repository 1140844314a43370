export * from './check-digit';
export * from './serials';
export * from './scan';
