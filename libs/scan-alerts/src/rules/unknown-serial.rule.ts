// UNKNOWN_SERIAL (EMVS alert A7, "pack not found"): a code whose GTIN is a registered product but whose serial
// was never commissioned. Not a copy of a genuine pack but a falsified code: clone_suspected is false, and the
// product's manufacturer (and the regulators) are told.
// Bounded: anyone can ask for random serials under a registered GTIN, and each would be an alert told to the
// manufacturer and every regulator. Once MAX_UNKNOWN_SERIAL_ALERTS_PER_HOUR alerts were raised on one GTIN within
// the last hour, a further never-commissioned serial of it raises no alert (and no notification): it is added to
// the evidence of the GTIN's most recent open UNKNOWN_SERIAL alert (`otherSerials`, withOtherSerial).
import { AlertDraft, evidenceIds, PackFacts, ScanFact, scansSince } from './alert-facts';

/** How many UNKNOWN_SERIAL alerts one GTIN raises within an hour at most; further serials join the latest open one. */
export const MAX_UNKNOWN_SERIAL_ALERTS_PER_HOUR = 20;
/** How many of those further serials the evidence lists (the first ones; the counts are complete). */
export const MAX_EVIDENCE_SERIALS = 20;

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

/** Never-commissioned serials of the GTIN that raised no alert of their own (the hourly bound), on the alert they joined. */
export interface OtherSerials {
  /** Distinct serials added (each counted at its first scan). */
  serials: number;
  /** Scans of them added (each scan counted once, however often it is judged). */
  scans: number;
  /** The first MAX_EVIDENCE_SERIALS serials, in the order they came. */
  sample: string[];
  /** ISO 8601 UTC of the first and the latest scan added. */
  first: string;
  last: string;
}

/** One scan of a never-commissioned serial that raised no alert of its own, because the GTIN is over the hourly bound. */
export interface OtherSerialScan {
  serial: string;
  at: Date;
  /** false when this scan was judged before (its device named since): it is not counted again. */
  newScan: boolean;
  /** true when it is the serial's first scan (none earlier, or none since its last alert was closed). */
  newSerial: boolean;
}

/** The evidence of the alert `scan` joins: its own evidence kept, `otherSerials` counted on. */
export function withOtherSerial(evidence: Record<string, unknown>, scan: OtherSerialScan): Record<string, unknown> {
  const before = otherSerialsOf(evidence);
  const at = scan.at.toISOString();
  const sample = before?.sample ?? [];
  const otherSerials: OtherSerials = {
    serials: (before?.serials ?? 0) + (scan.newScan && scan.newSerial ? 1 : 0),
    scans: (before?.scans ?? 0) + (scan.newScan ? 1 : 0),
    sample: sample.includes(scan.serial) || sample.length >= MAX_EVIDENCE_SERIALS ? sample : [...sample, scan.serial],
    first: before?.first || at,
    last: before === null || at > before.last ? at : before.last,
  };
  return { ...evidence, otherSerials };
}

/** The alert's own new evidence (`draft`), keeping the serials other scans added to it (`previous.otherSerials`). */
export function keepOtherSerials(previous: Record<string, unknown> | null, draft: Record<string, unknown>): Record<string, unknown> {
  const kept = previous === null ? null : otherSerialsOf(previous);
  return kept === null ? draft : { ...draft, otherSerials: kept };
}

function otherSerialsOf(evidence: Record<string, unknown>): OtherSerials | null {
  const o = evidence.otherSerials as Partial<OtherSerials> | undefined;
  if (o === null || typeof o !== 'object') return null;
  return {
    serials: typeof o.serials === 'number' ? o.serials : 0,
    scans: typeof o.scans === 'number' ? o.scans : 0,
    sample: Array.isArray(o.sample) ? o.sample.filter((s): s is string => typeof s === 'string') : [],
    first: typeof o.first === 'string' ? o.first : '',
    last: typeof o.last === 'string' ? o.last : '',
  };
}
