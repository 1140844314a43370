export * from './demo-network';
export * from './demo-custody';
