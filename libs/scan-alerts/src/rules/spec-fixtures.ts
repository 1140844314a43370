// Shared fixtures of the rule scenario specs.
import { PackFacts, ScanFact } from './alert-facts';

export const SUPPLIED_AT = new Date('2026-03-02T09:00:00Z');
export const settings = { regionWindowMinutes: 60, maxDevices: 5 };
export const supplied: PackFacts = { kind: 'pack', manufacturerId: 'maker', lot: 'L1', state: 'dispensed', inactiveSince: SUPPLIED_AT };
export const active: PackFacts = { kind: 'pack', manufacturerId: 'maker', lot: 'L1', state: 'active', inactiveSince: null };

let n = 0;
/** A scan `minutes` after the supply. */
export function scanAt(minutes: number, region: string | null, deviceId: string | null = 'device-aaaaaaaaaaaa'): ScanFact {
  n++;
  return { id: `scan-${n}`, scannedAt: new Date(SUPPLIED_AT.getTime() + minutes * 60_000), region, deviceId };
}
