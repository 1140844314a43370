export * from './demo-dates';
export * from './demo-network';
export * from './demo-custody';
export * from './demo-dispensing';
export * from './demo-recall';
export * from './demo-webhook-receiver';
export * from './demo-pack-links';
export * from './demo-verification';
