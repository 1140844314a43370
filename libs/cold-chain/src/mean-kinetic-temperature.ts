// Mean kinetic temperature (USP <1160>): the single constant temperature that would degrade a product as
// much as the varying temperatures it actually saw. Pure and framework-free: the worker, the API and the
// tests use the same arithmetic.

/** ΔH/R in kelvin: activation energy over the gas constant. USP <1160> uses ≈ 83.144 kJ/mol ÷ R ≈ 10,000 K. */
export const DEFAULT_ACTIVATION_OVER_R = 10_000;
const KELVIN = 273.15;

export interface Reading {
  /** Milliseconds since the epoch. */
  at: number;
  celsius: number;
}

/**
 * How long each reading stands for, in milliseconds: until the next reading (sample and hold); the last
 * reading stands for the interval before it, so evenly spaced readings all weigh the same. Readings must
 * be in time order. With a single reading (or all at one instant) every reading weighs the same.
 */
export function timeWeights(readings: readonly Reading[]): number[] {
  const n = readings.length;
  if (n === 0) return [];
  if (n === 1) return [1];
  const w = new Array<number>(n);
  for (let i = 0; i < n - 1; i++) {
    const dt = readings[i + 1].at - readings[i].at;
    if (dt < 0) throw new RangeError(`readings must be in time order (reading ${i + 1} is before reading ${i})`);
    w[i] = dt;
  }
  w[n - 1] = w[n - 2];
  return w.some((x) => x !== 0) ? w : w.fill(1);
}

/**
 * MKT in °C of temperatures `celsius` with weights `weights` (equal when omitted):
 *   MKT = (ΔH/R) / (−ln( Σ wᵢ·e^(−ΔH/(R·Tᵢ)) / Σ wᵢ )) − 273.15,  Tᵢ in kelvin.
 */
export function meanKineticTemperature(celsius: readonly number[], weights?: readonly number[], activationOverR = DEFAULT_ACTIVATION_OVER_R): number {
  if (celsius.length === 0) throw new RangeError('MKT needs at least one temperature');
  if (weights && weights.length !== celsius.length) throw new RangeError('one weight per temperature');
  let sum = 0;
  let total = 0;
  for (let i = 0; i < celsius.length; i++) {
    const w = weights ? weights[i] : 1;
    if (!(w >= 0)) throw new RangeError(`weight ${i} must not be negative`);
    // e^(−ΔH/RT) is ~1e-16 at room temperature and ~1e-26 at −100 °C: far from double underflow.
    sum += w * Math.exp(-activationOverR / (celsius[i] + KELVIN));
    total += w;
  }
  if (total === 0) throw new RangeError('the weights must not all be zero');
  return activationOverR / -Math.log(sum / total) - KELVIN;
}

/** MKT of a time series, each reading weighted by the time it stands for (see timeWeights). */
export function meanKineticTemperatureOf(readings: readonly Reading[], activationOverR = DEFAULT_ACTIVATION_OVER_R): number {
  return meanKineticTemperature(
    readings.map((r) => r.celsius),
    timeWeights(readings),
    activationOverR,
  );
}
