export * from './runtime';
export * from './runtime.module';
export * from './run-until-signal';
