export * from './label-errors';
export * from './label-render';
export * from './label-sheet';
export * from './pack-label-reads.service';
export * from './pack-labels.service';
export * from './labels.module';
