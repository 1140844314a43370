/** Runs `fn` `count` times (after a short warm-up) and returns operations per second. */
export async function opsPerSecond(count: number, fn: (i: number) => unknown | Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(20, count); i++) await fn(i);
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await fn(i);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return count / seconds;
}

export function report(name: string, figure: number, baselineName: string, baseline: number, unit: string): void {
  const ratio = figure / baseline;
  console.log(`${name.padEnd(46)} ${figure.toFixed(0).padStart(9)} ${unit}   vs ${baselineName}: ${baseline.toFixed(0)} ${unit}   ratio ${ratio.toFixed(2)}×`);
}

/** A duration beside its baseline duration; the ratio is figure / baseline (below 1× is faster). */
export function reportTime(name: string, seconds: number, baselineName: string, baselineSeconds: number): void {
  const ms = (x: number) => `${(x * 1000).toFixed(0)} ms`;
  console.log(`${name.padEnd(46)} ${ms(seconds).padStart(9)}   vs ${baselineName}: ${ms(baselineSeconds)}   ratio ${(seconds / baselineSeconds).toFixed(2)}×`);
}

/** A positive whole number from the environment (a bench's size), or `fallback`. */
export function envInt(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
}

/** Seconds `fn` took (wall clock). */
export async function seconds(fn: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e9;
}
