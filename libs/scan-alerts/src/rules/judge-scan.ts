// Every scan rule, applied to one scan. Framework-free; the worker's ScanJudge feeds it from the database.
import { AlertDraft, CloneSettings, PackFacts, ScanFact } from './alert-facts';
import { regionsWithinWindow } from './regions-within-window.rule';
import { tooManyDevices } from './too-many-devices.rule';
import { unknownSerial } from './unknown-serial.rule';

/** The alerts one scan raises (or updates), at most one per kind. */
export function judgeScan(scan: ScanFact, earlier: readonly ScanFact[], pack: PackFacts, settings: CloneSettings): AlertDraft[] {
  return [regionsWithinWindow(scan, earlier, pack, settings), tooManyDevices(scan, earlier, pack, settings), unknownSerial(scan, earlier, pack)].filter(
    (a): a is AlertDraft => a !== null,
  );
}
