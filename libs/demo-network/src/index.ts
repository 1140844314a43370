export * from './demo-network';
