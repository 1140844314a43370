// REGIONS_WITHIN_WINDOW: after a pack left the supply chain (supplied to a patient, or decommissioned), it sits
// in one place. Scans of its serial from two different places within config.cloneDetection.regionWindowMinutes
// cannot be that one pack: a copy of its code is suspected (EMVS: the same serial in different places at once).
// Regions are client-asserted and coarse, so the rule only counts what is clearly two places: two regions of the
// same kind that differ (two countries, or two time zones), given by two scans that are not from one device.
import { AlertDraft, CloneSettings, evidenceIds, PackFacts, ScanFact, scansSince } from './alert-facts';

/** Where a region puts a scan: an ISO 3166 country (a subdivision `DE-BY` counts as its country `DE`), or an IANA time zone. */
export type Place = { kind: 'country'; country: string } | { kind: 'zone'; zone: string };

/** The place a region names; null for anything else (nothing to compare). */
export function placeOf(region: string): Place | null {
  const iso = /^([A-Z]{2})(?:-[A-Z0-9]{1,3})?$/.exec(region);
  if (iso) return { kind: 'country', country: iso[1] };
  if (/^[A-Za-z]+(?:\/[A-Za-z0-9_+-]+){1,2}$/.test(region)) return { kind: 'zone', zone: region };
  return null;
}

/**
 * Whether two regions are surely two places. Only like is compared with like: ISO 3166 codes at country level
 * (`DE`, `DE-BY` and `DE-BE` are one place; `DE-BY` and `FR` two), time zones whole (`Europe/Berlin` and
 * `Europe/Paris` two). A time zone and an ISO code are not comparable — one phone's page gives its time zone and
 * its app a country code — so they never count as two places.
 */
export function differentPlaces(a: string, b: string): boolean {
  const pa = placeOf(a);
  const pb = placeOf(b);
  if (pa?.kind === 'country' && pb?.kind === 'country') return pa.country !== pb.country;
  if (pa?.kind === 'zone' && pb?.kind === 'zone') return pa.zone !== pb.zone;
  return false;
}

/** Two scans from one device (its id known on both) are one phone in one place, whatever regions they give. */
export function sameDevice(a: ScanFact, b: ScanFact): boolean {
  return a.deviceId !== null && a.deviceId === b.deviceId;
}

/**
 * Judges `scan` against the serial's `earlier` scans (bounded, any order). Raises when the pack is inactive and
 * a scan since then, from another device (or one not named), lies within the window of this one and was made in a
 * different place (differentPlaces). Evidence: the regions seen within the window (`regions`), the count of those
 * scans (`scans`), their span (`from`, `to`, `spanMinutes`), the window, and the newest scan ids (`scanIds`).
 */
export function regionsWithinWindow(scan: ScanFact, earlier: readonly ScanFact[], pack: PackFacts, settings: CloneSettings): AlertDraft | null {
  if (pack.kind !== 'pack' || pack.inactiveSince === null || scan.region === null) return null;
  if (scan.scannedAt.getTime() < pack.inactiveSince.getTime()) return null;
  const windowMs = settings.regionWindowMinutes * 60_000;
  const near = scansSince([...earlier.filter((s) => s.id !== scan.id), scan], pack.inactiveSince).filter(
    (s) => s.region !== null && Math.abs(s.scannedAt.getTime() - scan.scannedAt.getTime()) <= windowMs,
  );
  const here = scan.region;
  if (!near.some((s) => s.id !== scan.id && !sameDevice(s, scan) && differentPlaces(s.region as string, here))) return null;
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
