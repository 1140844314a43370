export * from './dispensing-events';
export * from './dispensing.module';
export * from './inactive-pack-refusals';
