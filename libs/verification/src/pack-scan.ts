// What a scan becomes before it is judged: the scanner's text (GS1 element string, with or without a
// symbology identifier, or a Digital Link URI) or the four fields typed from the label, parsed by the GS1
// library (libs/gs1/src/scan). An unparsable scan is refused with the parser's code and sentence; it gets
// no verdict.
import { parsePackScan, PackIdentifiers, PackScanInput } from '@pharmatrace/gs1';
import { DomainError } from '@pharmatrace/errors';

/** The pack identifiers of a scan or typed fields; INVALID_SCAN, INVALID_GTIN, INVALID_SERIAL, INVALID_LOT or INVALID_EXPIRY otherwise. */
export function packIdentifiersOf(input: PackScanInput): PackIdentifiers {
  const scan = parsePackScan(input);
  if (!scan.ok) throw new DomainError(scan.code, scan.message);
  return scan.pack;
}
