// Judges a temperature series against a product's storage range and excursion policy: time out of range,
// the worst reading and the mean kinetic temperature. Pure: the worker stores and acts on the verdict.
import type { ExcursionPolicy, StorageRange } from '@pharmatrace/custody/custody-events';
import { meanKineticTemperature, Reading, timeWeights } from './mean-kinetic-temperature';

export type { ExcursionPolicy, StorageRange } from '@pharmatrace/custody/custody-events';

export const EXCURSION_BREACHES = ['TIME_OUT_OF_RANGE', 'MKT_ABOVE_LIMIT'] as const;
export type ExcursionBreach = (typeof EXCURSION_BREACHES)[number];
export type ExcursionVerdict = 'within_policy' | 'broken' | 'no_readings';

export interface ExcursionReport {
  readings: number;
  /** Times (ms since the epoch) of the first and last reading; null without readings. */
  from: number | null;
  to: number | null;
  /** Time-weighted: each reading stands for the time until the next one (see timeWeights). */
  minutesOutOfRange: number;
  /** The reading furthest from the middle of the range: the furthest outside it, or else the closest to leaving it. */
  worst: Reading | null;
  mktC: number | null;
  verdict: ExcursionVerdict;
  breaches: ExcursionBreach[];
  /** One sentence per breach, for people. */
  reasons: string[];
}

const MS_PER_MINUTE = 60_000;

const outside = (c: number, range: StorageRange): boolean => c < range.minC || c > range.maxC;

const fmt = (n: number): string => String(Math.round(n * 100) / 100);

/** `readings` must be in time order. The limits are inclusive: exactly at the limit is within policy. */
export function evaluateExcursions(readings: readonly Reading[], range: StorageRange, policy: ExcursionPolicy): ExcursionReport {
  if (readings.length === 0) {
    return { readings: 0, from: null, to: null, minutesOutOfRange: 0, worst: null, mktC: null, verdict: 'no_readings', breaches: [], reasons: [] };
  }
  const weights = timeWeights(readings);
  // A lone reading stands for no measured time: it cannot add minutes out of range, only a worst value.
  const spans = readings.length === 1 ? [0] : weights;
  const middle = (range.minC + range.maxC) / 2;
  let outMs = 0;
  let worst = readings[0];
  readings.forEach((r, i) => {
    if (outside(r.celsius, range)) outMs += spans[i];
    if (Math.abs(r.celsius - middle) > Math.abs(worst.celsius - middle)) worst = r;
  });
  const minutesOutOfRange = outMs / MS_PER_MINUTE;
  const mktC = meanKineticTemperature(
    readings.map((r) => r.celsius),
    weights,
  );

  const breaches: ExcursionBreach[] = [];
  const reasons: string[] = [];
  if (minutesOutOfRange > policy.maxMinutesOutOfRange) {
    breaches.push('TIME_OUT_OF_RANGE');
    reasons.push(
      `${fmt(minutesOutOfRange)} min outside ${fmt(range.minC)}–${fmt(range.maxC)} °C (limit ${policy.maxMinutesOutOfRange} min; worst ${fmt(worst.celsius)} °C)`,
    );
  }
  if (policy.maxMktC !== null && mktC > policy.maxMktC) {
    breaches.push('MKT_ABOVE_LIMIT');
    reasons.push(`mean kinetic temperature ${fmt(mktC)} °C above the limit of ${fmt(policy.maxMktC)} °C`);
  }
  return {
    readings: readings.length,
    from: readings[0].at,
    to: readings[readings.length - 1].at,
    minutesOutOfRange,
    worst,
    mktC,
    verdict: breaches.length > 0 ? 'broken' : 'within_policy',
    breaches,
    reasons,
  };
}
