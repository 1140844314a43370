// REGIONS_WITHIN_WINDOW: after a pack left the supply chain (supplied to a patient, or decommissioned), it sits
// in one place. Scans of its serial from two different regions within config.cloneDetection.regionWindowMinutes
// cannot be that one pack: a copy of its code is suspected (EMVS: the same serial in different places at once).
import { AlertDraft, CloneSettings, evidenceIds, PackFacts, ScanFact, scansSince } from './alert-facts';

/**
 * Two regions differ unless one contains the other: `DE` and `DE-BY` may be one place (a client that knew only
 * the country), `DE-BY` and `DE-BE` are not. Time zones (`Europe/Berlin`) compare whole; a zone and an ISO
 * code are different regions only when both are in the window — a client gives one kind consistently.
 */
export function sameRegion(a: string, b: string): boolean {
  if (a === b) return true;
  const iso = /^[A-Z]{2}(?:-|$)/;
  if (!iso.test(a) || !iso.test(b) || a.includes('/') || b.includes('/')) return false;
  return a.startsWith(`${b}-`) || b.startsWith(`${a}-`);
}

/**
 * Judges `scan` against the serial's `earlier` scans (bounded, any order). Raises when the pack is inactive and
 * a scan since then from another region lies within the window of this one. Evidence: the regions seen within the
 * window (`regions`), the count of those scans (`scans`), their span (`from`, `to`, `spanMinutes`), the window,
 * and the newest scan ids (`scanIds`).
 */
export function regionsWithinWindow(scan: ScanFact, earlier: readonly ScanFact[], pack: PackFacts, settings: CloneSettings): AlertDraft | null {
  if (pack.kind !== 'pack' || pack.inactiveSince === null || scan.region === null) return null;
  if (scan.scannedAt.getTime() < pack.inactiveSince.getTime()) return null;
  const windowMs = settings.regionWindowMinutes * 60_000;
  const near = scansSince([...earlier.filter((s) => s.id !== scan.id), scan], pack.inactiveSince).filter(
    (s) => s.region !== null && Math.abs(s.scannedAt.getTime() - scan.scannedAt.getTime()) <= windowMs,
  );
  const here = scan.region;
  if (!near.some((s) => !sameRegion(s.region as string, here))) return null;
  const regions = [...new Set(near.map((s) => s.region as string))].sort();
  const from = near[0].scannedAt;
  const to = near[near.length - 1].scannedAt;
  return {
    kind: 'REGIONS_WITHIN_WINDOW',
    cloneSuspected: true,
    evidence: {
      regions,
      scans: near.length,
      from: from.toISOString(),
      to: to.toISOString(),
      spanMinutes: Math.round((to.getTime() - from.getTime()) / 60_000),
      windowMinutes: settings.regionWindowMinutes,
      inactiveSince: pack.inactiveSince.toISOString(),
      scanIds: evidenceIds(near),
    },
  };
}
