// Scenarios of the excursion policy, one per rule, each a small story with numbers worked out by hand.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateExcursions } from './excursion-evaluation';
import { Reading } from './mean-kinetic-temperature';

const MINUTE = 60_000;
const every = (minutes: number, celsius: number[]): Reading[] => celsius.map((c, i) => ({ at: i * minutes * MINUTE, celsius: c }));
const fridge = { minC: 2, maxC: 8 };

describe('excursion policy', () => {
  it('within range throughout: within policy, no minutes out, worst is the reading closest to a limit', () => {
    const r = evaluateExcursions(every(10, [5, 4, 6, 7.5, 5]), fridge, { maxMinutesOutOfRange: 0, maxMktC: 8 });
    assert.equal(r.verdict, 'within_policy');
    assert.equal(r.minutesOutOfRange, 0);
    assert.equal(r.worst?.celsius, 7.5); // |7.5 − 5| = 2.5 is the largest distance from the middle (5 °C)
    assert.deepEqual(r.breaches, []);
  });

  it('time out of range: counts the time each outside reading stands for, against the limit', () => {
    // Readings every 10 min; three of them at 9–11 °C stand for 30 min outside 2–8 °C.
    const readings = every(10, [5, 9, 11, 10, 5, 5]);
    const tolerant = evaluateExcursions(readings, fridge, { maxMinutesOutOfRange: 30, maxMktC: null });
    assert.equal(tolerant.minutesOutOfRange, 30);
    assert.equal(tolerant.verdict, 'within_policy', 'exactly at the limit is still within policy');
    const strict = evaluateExcursions(readings, fridge, { maxMinutesOutOfRange: 20, maxMktC: null });
    assert.equal(strict.verdict, 'broken');
    assert.deepEqual(strict.breaches, ['TIME_OUT_OF_RANGE']);
    assert.equal(strict.worst?.celsius, 11);
    assert.match(strict.reasons[0], /30 min outside 2–8 °C \(limit 20 min; worst 11 °C\)/);
  });

  it('time out of range below the range counts too (freezing), and the worst is the coldest', () => {
    const r = evaluateExcursions(every(15, [5, -1, 0.5, 5]), fridge, { maxMinutesOutOfRange: 15, maxMktC: null });
    assert.equal(r.minutesOutOfRange, 30);
    assert.equal(r.worst?.celsius, -1);
    assert.equal(r.verdict, 'broken');
  });

  it('mean kinetic temperature above the limit breaks the policy even with no time out of range', () => {
    // A 2–25 °C product, equal time at 24 °C and 25 °C, never outside its range:
    // a = 10000/297.15 = 33.65304, b = 10000/298.15 = 33.54016, e^−(a−b) = e^−0.11287 = 0.89326
    // mean = e^−b · (1 + 0.89326)/2 = e^−b · 0.94663; ln 0.94663 = −0.05484
    // MKT = 10000 / (33.54016 + 0.05484) = 297.663 K = 24.51 °C > 24 °C.
    const r = evaluateExcursions(every(60, [24, 25, 24, 25]), { minC: 2, maxC: 25 }, { maxMinutesOutOfRange: 0, maxMktC: 24 });
    assert.equal(r.minutesOutOfRange, 0);
    assert.ok(r.mktC !== null && r.mktC > 24.5 && r.mktC < 24.52, `MKT ${r.mktC}`);
    assert.deepEqual(r.breaches, ['MKT_ABOVE_LIMIT']);
  });

  it('spike: an hour at 25 °C in a day at 5 °C breaks a 30-minute budget and an MKT limit of 7.5 °C', () => {
    // 60 min out of range; MKT 7.76 °C (worked out in mean-kinetic-temperature.spec.ts).
    const r = evaluateExcursions(every(60, [...Array<number>(23).fill(5), 25]), fridge, { maxMinutesOutOfRange: 30, maxMktC: 7.5 });
    assert.equal(r.minutesOutOfRange, 60);
    assert.ok(r.mktC !== null && Math.abs(r.mktC - 7.76) < 0.005);
    assert.deepEqual(r.breaches, ['TIME_OUT_OF_RANGE', 'MKT_ABOVE_LIMIT']);
  });

  it('uneven spacing: a long gap after an outside reading counts as time outside', () => {
    // 9 °C at 0 min held until the next reading at 45 min; then 5 °C at 45 and 50 min.
    const readings: Reading[] = [
      { at: 0, celsius: 9 },
      { at: 45 * MINUTE, celsius: 5 },
      { at: 50 * MINUTE, celsius: 5 },
    ];
    const r = evaluateExcursions(readings, fridge, { maxMinutesOutOfRange: 30, maxMktC: null });
    assert.equal(r.minutesOutOfRange, 45);
    assert.equal(r.verdict, 'broken');
  });

  it('no readings: no verdict either way', () => {
    const r = evaluateExcursions([], fridge, { maxMinutesOutOfRange: 0, maxMktC: 8 });
    assert.equal(r.verdict, 'no_readings');
    assert.equal(r.mktC, null);
  });

  it('a lone reading outside the range stands for no measured time, but is the worst value', () => {
    const r = evaluateExcursions([{ at: 0, celsius: 12 }], fridge, { maxMinutesOutOfRange: 0, maxMktC: null });
    assert.equal(r.minutesOutOfRange, 0);
    assert.equal(r.worst?.celsius, 12);
    assert.equal(r.verdict, 'within_policy');
  });
});
