// Small numeric helpers the forecast models share (plain loops: the series are short).

export function mean(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median absolute deviation from the median (unscaled). */
export function medianAbsoluteDeviation(values: readonly number[]): number {
  const centre = median(values);
  return median(values.map((v) => Math.abs(v - centre)));
}

/** Least-squares slope of `values` against their index 0..n-1 (0 for fewer than two values). */
export function olsSlope(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return 0;
  const xBar = (n - 1) / 2;
  const yBar = mean(values);
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (i - xBar) * (values[i]! - yBar);
    den += (i - xBar) ** 2;
  }
  return num / den;
}

/** Sample autocorrelation at `lag`. */
export function autocorrelation(values: readonly number[], lag: number): number {
  const n = values.length;
  if (lag >= n) return 0;
  const m = mean(values);
  let den = 0;
  for (const v of values) den += (v - m) ** 2;
  if (den === 0) return 0;
  let num = 0;
  for (let i = lag; i < n; i++) num += (values[i]! - m) * (values[i - lag]! - m);
  return num / den;
}

/** Two-sided standard normal quantiles for the intervals the product shows. */
export const Z80 = 1.2815515655446004;
export const Z95 = 1.959963984540054;

/** Mean absolute percentage error in percent, over the points whose actual value is not 0. */
export function mape(actual: readonly number[], predicted: readonly number[]): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    if (a === 0) continue;
    sum += Math.abs((a - predicted[i]!) / a);
    count++;
  }
  return count === 0 ? NaN : (100 * sum) / count;
}

export function meanAbsoluteError(actual: readonly number[], predicted: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < actual.length; i++) sum += Math.abs(actual[i]! - predicted[i]!);
  return actual.length === 0 ? NaN : sum / actual.length;
}

/** Rounds for display and for stable outputs (no -0). */
export function round(value: number, digits = 4): number {
  const f = 10 ** digits;
  const r = Math.round(value * f) / f;
  return r === 0 ? 0 : r;
}
