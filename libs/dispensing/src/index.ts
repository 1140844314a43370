export * from './dispensing-events';
export * from './dispensing.module';
