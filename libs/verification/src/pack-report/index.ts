export * from './pack-report.types';
export * from './pack-report.service';
export { MAX_CHART_READINGS } from './temperature';
