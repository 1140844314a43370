// UNKNOWN_SERIAL (EMVS alert A7, "pack not found"): a code whose GTIN is a registered product but whose serial
// was never commissioned. Not a copy of a genuine pack but a falsified code: clone_suspected is false, and the
// product's manufacturer (and the regulators) are told.
import { AlertDraft, evidenceIds, PackFacts, ScanFact, scansSince } from './alert-facts';

/** Evidence: how often the serial was scanned (`scans`, within the bounded history), when (`from`, `to`), the regions, devices counted, scan ids. */
export function unknownSerial(scan: ScanFact, earlier: readonly ScanFact[], pack: PackFacts): AlertDraft | null {
  if (pack.kind !== 'unknown_serial') return null;
  const all = scansSince([...earlier.filter((s) => s.id !== scan.id), scan], null);
  return {
    kind: 'UNKNOWN_SERIAL',
    cloneSuspected: false,
    evidence: {
      scans: all.length,
      from: all[0].scannedAt.toISOString(),
      to: all[all.length - 1].scannedAt.toISOString(),
      regions: [...new Set(all.map((s) => s.region).filter((r): r is string => r !== null))].sort(),
      devices: new Set(all.map((s) => s.deviceId).filter((d) => d !== null)).size,
      scanIds: evidenceIds(all),
    },
  };
}
