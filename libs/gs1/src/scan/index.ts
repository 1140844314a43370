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
export {
  formatPackDigitalLink,
  readPackLinkSignature,
  isoToGs1Date,
  LABEL_SIGNATURE_PARAMETER,
  LABEL_KEY_PARAMETER,
  type PackLinkFields,
  type PackLinkSignature,
} from './pack-link';
