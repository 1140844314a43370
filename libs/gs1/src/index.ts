export * from './check-digit';
export * from './serials';
