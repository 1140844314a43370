// Every scan rule, applied to one scan. Framework-free; the worker's ScanJudge feeds it from the database.
import { AlertDraft, AlertKind, CloneSettings, PackFacts, ScanFact } from './alert-facts';
import { regionsWithinWindow } from './regions-within-window.rule';
import { tooManyDevices } from './too-many-devices.rule';
import { unknownSerial } from './unknown-serial.rule';

/** When the latest closed alert of each kind on the serial was closed (its updated_at); a kind never closed is absent. */
export type LastClosed = Partial<Record<AlertKind, Date>>;

/**
 * The scans a rule of `kind` may count: only those after the latest closed alert of that kind on the serial. A
 * closed alert was looked at by a person (often a false positive): the scans it judged are settled, and only new
 * evidence may raise the kind again. null when `scan` itself is not after the close (judged late, or again once
 * its device was named): it judges nothing of that kind.
 */
export function scansAfterClose(kind: AlertKind, scan: ScanFact, earlier: readonly ScanFact[], lastClosed: LastClosed): readonly ScanFact[] | null {
  const closedAt = lastClosed[kind];
  if (closedAt === undefined) return earlier;
  if (scan.scannedAt.getTime() <= closedAt.getTime()) return null;
  return earlier.filter((s) => s.scannedAt.getTime() > closedAt.getTime());
}

/** The alerts one scan raises (or updates), at most one per kind. */
export function judgeScan(scan: ScanFact, earlier: readonly ScanFact[], pack: PackFacts, settings: CloneSettings, lastClosed: LastClosed = {}): AlertDraft[] {
  const rule = (kind: AlertKind, judge: (counted: readonly ScanFact[]) => AlertDraft | null): AlertDraft | null => {
    const counted = scansAfterClose(kind, scan, earlier, lastClosed);
    return counted === null ? null : judge(counted);
  };
  return [
    rule('REGIONS_WITHIN_WINDOW', (counted) => regionsWithinWindow(scan, counted, pack, settings)),
    rule('TOO_MANY_DEVICES', (counted) => tooManyDevices(scan, counted, pack, settings)),
    rule('UNKNOWN_SERIAL', (counted) => unknownSerial(scan, counted, pack)),
  ].filter((a): a is AlertDraft => a !== null);
}
