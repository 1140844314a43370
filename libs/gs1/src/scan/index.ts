export { parsePackScan, MAX_SCAN_LENGTH } from './pack-scan';
export type {
  PackIdentifiers,
  PackScan,
  PackScanInput,
  PackScanOptions,
  PackScanSource,
  ScanRefusal,
  ScanRefusalCode,
} from './scan-types';
