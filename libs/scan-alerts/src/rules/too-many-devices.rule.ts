// TOO_MANY_DEVICES: a genuine pack, once supplied, sits in one home; the patient, a carer, a relative scan it —
// a handful of devices. More than config.cloneDetection.maxDevices distinct devices scanning one serial after it
// left the supply chain means its code was copied onto other packs.
// Only scans after supply count: before it, pharmacists, wholesalers and inspectors scan a pack as their work, and
// the chain (custody) already says who holds it. A pack still active raises nothing here.
import { AlertDraft, CloneSettings, evidenceIds, PackFacts, ScanFact, scansSince } from './alert-facts';

/**
 * Judges `scan` with the serial's `earlier` scans (bounded, any order). Evidence: the number of distinct devices
 * (`devices`, never their ids — they are random, but a count is all a reader needs), the limit, the scans counted
 * (`scans`), their span (`from`, `to`) and the newest scan ids (`scanIds`).
 */
export function tooManyDevices(scan: ScanFact, earlier: readonly ScanFact[], pack: PackFacts, settings: CloneSettings): AlertDraft | null {
  if (pack.kind !== 'pack' || pack.inactiveSince === null) return null;
  const after = scansSince([...earlier.filter((s) => s.id !== scan.id), scan], pack.inactiveSince).filter((s) => s.deviceId !== null);
  const devices = new Set(after.map((s) => s.deviceId)).size;
  if (devices <= settings.maxDevices) return null;
  return {
    kind: 'TOO_MANY_DEVICES',
    cloneSuspected: true,
    evidence: {
      devices,
      maxDevices: settings.maxDevices,
      scans: after.length,
      from: after[0].scannedAt.toISOString(),
      to: after[after.length - 1].scannedAt.toISOString(),
      inactiveSince: pack.inactiveSince.toISOString(),
      scanIds: evidenceIds(after),
    },
  };
}
