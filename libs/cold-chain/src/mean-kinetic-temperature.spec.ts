// Known answers for MKT, each worked out by hand from the USP <1160> formula with ΔH/R = 10,000 K:
//   MKT = (ΔH/R) / (−ln( Σ wᵢ·e^(−ΔH/(R·Tᵢ)) / Σ wᵢ )) − 273.15
// Trick used below: factor out the largest term e^(−b), so only small exponentials need evaluating.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { meanKineticTemperature, meanKineticTemperatureOf, Reading, timeWeights } from './mean-kinetic-temperature';

const MINUTE = 60_000;
const series = (celsius: number[], everyMinutes: number): Reading[] => celsius.map((c, i) => ({ at: i * everyMinutes * MINUTE, celsius: c }));
const close = (actual: number, expected: number, tolerance = 0.005) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `expected ${expected} ± ${tolerance}, got ${actual}`);

describe('mean kinetic temperature', () => {
  it('constant series: MKT is the temperature itself', () => {
    // Every term is e^(−10000/278.15); their mean is that term, so −ln(mean) = 10000/278.15 and
    // MKT = 10000 / (10000/278.15) − 273.15 = 278.15 − 273.15 = 5.00 °C.
    close(meanKineticTemperatureOf(series([5, 5, 5, 5, 5, 5], 15)), 5, 1e-9);
    close(meanKineticTemperature([-20]), -20, 1e-9);
  });

  it('two levels, equal time at 20 °C and 30 °C: 26.26 °C, above the arithmetic mean of 25 °C', () => {
    // a = 10000/293.15 = 34.11223, b = 10000/303.15 = 32.98697, a − b = 1.12526, e^−1.12526 = 0.32457
    // mean = e^−b · (1 + 0.32457) / 2 = e^−b · 0.66228;  ln 0.66228 = −0.41207
    // −ln(mean) = 32.98697 + 0.41207 = 33.39904;  MKT = 10000 / 33.39904 = 299.410 K = 26.26 °C
    close(meanKineticTemperatureOf(series([20, 30, 20, 30], 30)), 26.26);
    close(meanKineticTemperature([20, 30]), 26.26);
  });

  it('spike: 23 hours at 5 °C and one hour at 25 °C: 7.76 °C, well above the 5.83 °C arithmetic mean', () => {
    // a = 10000/278.15 = 35.95182, b = 10000/298.15 = 33.54016, a − b = 2.41166, e^−2.41166 = 0.089666
    // mean = e^−b · (23 · 0.089666 + 1) / 24 = e^−b · 3.06232 / 24 = e^−b · 0.127597;  ln 0.127597 = −2.05888
    // −ln(mean) = 33.54016 + 2.05888 = 35.59904;  MKT = 10000 / 35.59904 = 280.906 K = 7.76 °C
    const hourly = series([...Array<number>(23).fill(5), 25], 60);
    close(meanKineticTemperatureOf(hourly), 7.76);
    // Where the spike falls does not matter, only how long it lasts.
    close(meanKineticTemperatureOf(series([5, 5, 25, ...Array<number>(21).fill(5)], 60)), 7.76);
  });

  it('uneven spacing: readings weigh by the time they stand for, not one each', () => {
    // 4 °C at 0 min, 12 °C at 60 min, 4 °C at 90 min. Weights: 60, 30 and 30 (the last reading stands for
    // the interval before it): 90 min at 4 °C, 30 min at 12 °C, i.e. 3 : 1.
    // a = 10000/277.15 = 36.08154, b = 10000/285.15 = 35.06926, a − b = 1.01228, e^−1.01228 = 0.36339
    // mean = e^−b · (3 · 0.36339 + 1) / 4 = e^−b · 0.52254;  ln 0.52254 = −0.64905
    // −ln(mean) = 35.06926 + 0.64905 = 35.71831;  MKT = 10000 / 35.71831 = 279.968 K = 6.82 °C
    const uneven: Reading[] = [
      { at: 0, celsius: 4 },
      { at: 60 * MINUTE, celsius: 12 },
      { at: 90 * MINUTE, celsius: 4 },
    ];
    assert.deepEqual(timeWeights(uneven), [60 * MINUTE, 30 * MINUTE, 30 * MINUTE]);
    close(meanKineticTemperatureOf(uneven), 6.82);
    // Counting each reading once (2 : 1) would overstate it: (2 · 0.36339 + 1)/3 = 0.57559, ln = −0.55235,
    // 10000 / (35.06926 + 0.55235) = 280.729 K = 7.58 °C.
    close(meanKineticTemperature([4, 12, 4]), 7.58);
  });

  it('evenly spaced readings weigh the same; a lone reading or one instant gets equal weights', () => {
    assert.deepEqual(timeWeights(series([1, 2, 3], 5)), [5 * MINUTE, 5 * MINUTE, 5 * MINUTE]);
    assert.deepEqual(timeWeights([{ at: 7, celsius: 1 }]), [1]);
    assert.deepEqual(timeWeights([{ at: 7, celsius: 1 }, { at: 7, celsius: 3 }]), [1, 1]);
  });

  it('refuses what has no MKT: no readings, readings out of order, negative or all-zero weights', () => {
    assert.throws(() => meanKineticTemperature([]), RangeError);
    assert.throws(() => timeWeights([{ at: 10, celsius: 1 }, { at: 5, celsius: 1 }]), RangeError);
    assert.throws(() => meanKineticTemperature([1, 2], [1, -1]), RangeError);
    assert.throws(() => meanKineticTemperature([1, 2], [0, 0]), RangeError);
  });
});
