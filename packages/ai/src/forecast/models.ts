// The time-series models: naive and seasonal naive (the baselines), the exponential-smoothing
// family (simple, Holt, damped trend, Holt-Winters additive and multiplicative, damped
// Holt-Winters) with parameters fitted by minimising the in-sample one-step SSE, and the Theta
// method (simple exponential smoothing with half the regression slope as drift).
import { nelderMead, squash, unsquash } from "./optimize";
import { autocorrelation, mean, olsSlope } from "./stats";

export const modelNames = [
  "naive",
  "seasonal-naive",
  "ses",
  "holt",
  "damped-holt",
  "holt-winters-additive",
  "holt-winters-multiplicative",
  "damped-holt-winters-additive",
  "damped-holt-winters-multiplicative",
  "theta",
] as const;
export type ModelName = (typeof modelNames)[number];

export const modelDescriptions: Record<ModelName, string> = {
  naive: "naive (last value)",
  "seasonal-naive": "seasonal naive (same period last season)",
  ses: "simple exponential smoothing",
  holt: "Holt's linear trend",
  "damped-holt": "damped-trend exponential smoothing",
  "holt-winters-additive": "Holt-Winters (additive seasons)",
  "holt-winters-multiplicative": "Holt-Winters (multiplicative seasons)",
  "damped-holt-winters-additive": "damped-trend Holt-Winters (additive seasons)",
  "damped-holt-winters-multiplicative": "damped-trend Holt-Winters (multiplicative seasons)",
  theta: "Theta method",
};

/** A model fitted to a series: its in-sample one-step predictions and its forecasts. */
export interface FittedModel {
  name: ModelName;
  params: Record<string, number>;
  /** One-step-ahead in-sample predictions, aligned with the series (null where the model has none). */
  fitted: (number | null)[];
  /** Standard deviation of the one-step errors; relative to the prediction when `relativeErrors`. */
  sigma: number;
  relativeErrors: boolean;
  forecast(horizon: number): number[];
  /** How the one-step error variance grows: factor for steps 1..horizon (1 at step 1). */
  varianceFactors(horizon: number): number[];
}

/** The fewest points each model can be fitted to, for a season of `m` periods. */
export function minimumLength(name: ModelName, m: number): number {
  switch (name) {
    case "naive":
      return 1;
    case "seasonal-naive":
      return m;
    case "ses":
      return 2;
    case "holt":
    case "theta":
      return 3;
    case "damped-holt":
      return 4;
    default:
      return 2 * m;
  }
}

export function isSeasonalModel(name: ModelName): boolean {
  return name === "seasonal-naive" || name.includes("winters");
}

export function fitModel(name: ModelName, y: readonly number[], m: number): FittedModel {
  if (y.length < minimumLength(name, m)) {
    throw new Error(`${name} needs at least ${minimumLength(name, m)} points, got ${y.length}`);
  }
  switch (name) {
    case "naive":
      return fitNaive(y, 1, name);
    case "seasonal-naive":
      return fitNaive(y, m, name);
    case "theta":
      return fitTheta(y, m);
    default:
      return fitExponentialSmoothing(name, y, m);
  }
}

/** Sigma from squared errors, with the degrees of freedom the fitted parameters used. */
function sigmaOf(errors: readonly number[], parameters: number): number {
  if (errors.length === 0) return 0;
  let sum = 0;
  for (const e of errors) sum += e * e;
  return Math.sqrt(sum / Math.max(1, errors.length - parameters));
}

function fitNaive(y: readonly number[], lag: number, name: ModelName): FittedModel {
  const n = y.length;
  const fitted = y.map((_, t) => (t >= lag ? y[t - lag]! : null));
  const errors: number[] = [];
  for (let t = lag; t < n; t++) errors.push(y[t]! - y[t - lag]!);
  return {
    name,
    params: {},
    fitted,
    sigma: sigmaOf(errors, 0),
    relativeErrors: false,
    forecast: (h) => Array.from({ length: h }, (_, i) => y[n - lag + (i % lag)]!),
    // Each further season of lead time adds one more step's worth of error.
    varianceFactors: (h) => Array.from({ length: h }, (_, i) => Math.floor(i / lag) + 1),
  };
}

interface EtsSpec {
  trend: "none" | "additive" | "damped";
  season: "none" | "additive" | "multiplicative";
  m: number;
}

const etsSpecs: Partial<Record<ModelName, Omit<EtsSpec, "m">>> = {
  ses: { trend: "none", season: "none" },
  holt: { trend: "additive", season: "none" },
  "damped-holt": { trend: "damped", season: "none" },
  "holt-winters-additive": { trend: "additive", season: "additive" },
  "holt-winters-multiplicative": { trend: "additive", season: "multiplicative" },
  "damped-holt-winters-additive": { trend: "damped", season: "additive" },
  "damped-holt-winters-multiplicative": { trend: "damped", season: "multiplicative" },
};

interface EtsParams {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
}

interface EtsState {
  level: number;
  trend: number;
  seasons: number[];
}

/**
 * Initial states. With seasons: the level and slope from the first two seasons' means, seasonal
 * indices from the first season around that line (normalised to sum 0 or average 1). Without:
 * the first value, or a least-squares line through the first ten points for trend models.
 */
function initialState(y: readonly number[], spec: EtsSpec): EtsState {
  const { m } = spec;
  if (spec.season === "none") {
    // A least-squares line through the first (up to) ten points, as Hyndman et al. start ETS.
    const head = y.slice(0, Math.min(y.length, 10));
    if (spec.trend === "none") return { level: y[0]!, trend: 0, seasons: [] };
    const trend = olsSlope(head);
    const intercept = mean(head) - (trend * (head.length - 1)) / 2;
    return { level: intercept - trend, trend, seasons: [] };
  }
  const first = mean(y.slice(0, m));
  const trend = spec.trend === "none" ? 0 : (mean(y.slice(m, 2 * m)) - first) / m;
  // The level one period before the series starts (the first season's mean sits at its centre).
  const level = first - (trend * (m + 1)) / 2;
  let seasons = y.slice(0, m).map((v, i) => {
    const line = level + (i + 1) * trend;
    return spec.season === "additive" ? v - line : v / (line > 0 ? line : first);
  });
  if (spec.season === "additive") {
    const avg = mean(seasons);
    seasons = seasons.map((s) => s - avg);
  } else {
    const avg = mean(seasons);
    seasons = seasons.map((s) => s / avg);
  }
  return { level, trend, seasons };
}

/** Runs the smoothing recursions over the series: in-sample one-step predictions and the final state. */
function runEts(y: readonly number[], spec: EtsSpec, p: EtsParams, start: EtsState) {
  const { alpha, beta, gamma } = p;
  const phi = spec.trend === "damped" ? p.phi : 1;
  const hasTrend = spec.trend !== "none";
  let level = start.level;
  let trend = start.trend;
  const seasons = [...start.seasons];
  const fitted: number[] = new Array<number>(y.length);
  let sse = 0;
  for (let t = 0; t < y.length; t++) {
    const obs = y[t]!;
    const base = level + (hasTrend ? phi * trend : 0);
    const si = spec.season === "none" ? 0 : t % spec.m;
    const season = spec.season === "none" ? 0 : seasons[si]!;
    const prediction =
      spec.season === "additive" ? base + season : spec.season === "multiplicative" ? base * season : base;
    fitted[t] = prediction;
    sse += (obs - prediction) ** 2;
    const deseasoned =
      spec.season === "additive" ? obs - season : spec.season === "multiplicative" ? obs / season : obs;
    const newLevel = alpha * deseasoned + (1 - alpha) * base;
    if (hasTrend) trend = beta * (newLevel - level) + (1 - beta) * phi * trend;
    if (spec.season === "additive") seasons[si] = gamma * (obs - newLevel) + (1 - gamma) * season;
    if (spec.season === "multiplicative") seasons[si] = gamma * (obs / newLevel) + (1 - gamma) * season;
    level = newLevel;
  }
  return { fitted, sse, state: { level, trend, seasons } };
}

function fitExponentialSmoothing(name: ModelName, y: readonly number[], m: number): FittedModel {
  const spec: EtsSpec = { ...etsSpecs[name]!, m };
  if (spec.season === "multiplicative" && y.some((v) => v <= 0)) {
    throw new Error(`${name} needs a series of positive values`);
  }
  const start = initialState(y, spec);
  const hasTrend = spec.trend !== "none";
  const hasSeason = spec.season !== "none";
  const damped = spec.trend === "damped";
  // The free parameters, each squashed into its valid range.
  const ranges: [keyof EtsParams, number, number][] = [["alpha", 1e-4, 0.9999]];
  if (hasTrend) ranges.push(["beta", 1e-4, 0.9999]);
  if (hasSeason) ranges.push(["gamma", 1e-4, 0.9999]);
  if (damped) ranges.push(["phi", 0.8, 0.98]);
  const toParams = (x: number[]): EtsParams => {
    const p: EtsParams = { alpha: 0, beta: 0, gamma: 0, phi: 1 };
    ranges.forEach(([key, lo, hi], i) => (p[key] = squash(x[i]!, lo, hi)));
    return p;
  };
  const objective = (x: number[]) => runEts(y, spec, toParams(x), start).sse;
  // Two fixed starting points (slow and fast smoothing); the better minimum wins.
  const starts: EtsParams[] = [
    { alpha: 0.3, beta: 0.1, gamma: 0.1, phi: 0.9 },
    { alpha: 0.7, beta: 0.2, gamma: 0.3, phi: 0.95 },
  ];
  let best: { point: number[]; value: number } | null = null;
  for (const s of starts) {
    const x0 = ranges.map(([key, lo, hi]) => unsquash(s[key], lo, hi));
    const found = nelderMead(objective, x0, { step: 1, maxIterations: 300 * ranges.length });
    if (best === null || found.value < best.value) best = found;
  }
  const params = toParams(best!.point);
  const run = runEts(y, spec, params, start);
  const phi = damped ? params.phi : 1;
  const relativeErrors = spec.season === "multiplicative";
  const errors = y.map((obs, t) => (relativeErrors ? (obs - run.fitted[t]!) / run.fitted[t]! : obs - run.fitted[t]!));
  const final = run.state;
  const n = y.length;
  const shown: Record<string, number> = { alpha: params.alpha };
  if (hasTrend) shown.beta = params.beta;
  if (hasSeason) shown.gamma = params.gamma;
  if (damped) shown.phi = params.phi;

  return {
    name,
    params: shown,
    fitted: run.fitted,
    sigma: sigmaOf(errors, ranges.length),
    relativeErrors,
    forecast: (h) => {
      const out: number[] = [];
      let cumulativePhi = 0;
      for (let step = 1; step <= h; step++) {
        cumulativePhi += phi ** step;
        const base = final.level + (hasTrend ? cumulativePhi * final.trend : 0);
        const season = hasSeason ? final.seasons[(n + step - 1) % m]! : 0;
        out.push(spec.season === "additive" ? base + season : spec.season === "multiplicative" ? base * season : base);
      }
      return out;
    },
    // The state-space weights c_j (Hyndman et al. 2008, class 1): var(h) = sigma^2 (1 + sum c_j^2).
    // The classic form's beta and gamma act on the error as alpha*beta and gamma*(1-alpha).
    varianceFactors: (h) => {
      const out: number[] = [];
      let total = 1;
      let cumulativePhi = 0;
      for (let step = 1; step <= h; step++) {
        out.push(total);
        cumulativePhi += phi ** step;
        const c =
          params.alpha +
          (hasTrend ? params.alpha * params.beta * cumulativePhi : 0) +
          (hasSeason && step % m === 0 ? params.gamma * (1 - params.alpha) : 0);
        total += c * c;
      }
      return out;
    },
  };
}

/**
 * Whether the series has a season of `m` periods: the lag-m autocorrelation beyond the 90%
 * one-sided bound (the test the M3 Theta method used).
 */
export function hasSeasonality(y: readonly number[], m: number): boolean {
  if (m < 2 || y.length < 2 * m) return false;
  let sumSquares = 0;
  for (let k = 1; k < m; k++) sumSquares += autocorrelation(y, k) ** 2;
  const bound = 1.645 * Math.sqrt((1 + 2 * sumSquares) / y.length);
  return Math.abs(autocorrelation(y, m)) > bound;
}

/** Classical decomposition's seasonal indices: a centred moving average, then the mean ratio (or difference) per position. */
export function seasonalIndices(y: readonly number[], m: number, multiplicative: boolean): number[] {
  const n = y.length;
  const half = Math.floor(m / 2);
  const sums = new Array<number>(m).fill(0);
  const counts = new Array<number>(m).fill(0);
  for (let t = half; t < n - half; t++) {
    let trend: number;
    if (m % 2 === 0) {
      let s = (y[t - half]! + y[t + half]!) / 2;
      for (let k = t - half + 1; k < t + half; k++) s += y[k]!;
      trend = s / m;
    } else {
      let s = 0;
      for (let k = t - half; k <= t + half; k++) s += y[k]!;
      trend = s / m;
    }
    sums[t % m]! += multiplicative ? y[t]! / trend : y[t]! - trend;
    counts[t % m]!++;
  }
  const raw = sums.map((s, i) => (counts[i]! > 0 ? s / counts[i]! : multiplicative ? 1 : 0));
  const avg = mean(raw);
  return raw.map((s) => (multiplicative ? s / avg : s - avg));
}

/**
 * The Theta method as Hyndman and Billah (2003) showed it: simple exponential smoothing of the
 * seasonally adjusted series plus a drift of half its regression slope, re-seasonalised.
 */
function fitTheta(y: readonly number[], m: number): FittedModel {
  const n = y.length;
  const seasonal = hasSeasonality(y, m);
  const multiplicative = y.every((v) => v > 0);
  const indices = seasonal ? seasonalIndices(y, m, multiplicative) : [];
  const seasonAt = (t: number) => (seasonal ? indices[t % m]! : multiplicative ? 1 : 0);
  const adjust = (v: number, t: number) => (multiplicative ? v / seasonAt(t) : v - seasonAt(t));
  const restore = (v: number, t: number) => (multiplicative ? v * seasonAt(t) : v + seasonAt(t));
  const x = y.map(adjust);
  const slope = olsSlope(x);
  const ses = (alpha: number) => {
    let level = x[0]!;
    let sse = 0;
    const fitted: number[] = [x[0]!];
    for (let t = 1; t < n; t++) {
      // The drift term of an origin t periods in, one step ahead.
      const drift = (slope / 2) * (1 / alpha - (1 - alpha) ** t / alpha);
      const prediction = level + drift;
      fitted.push(prediction);
      sse += (x[t]! - prediction) ** 2;
      level = alpha * x[t]! + (1 - alpha) * level;
    }
    return { level, sse, fitted };
  };
  const found = nelderMead((p) => ses(squash(p[0]!, 1e-4, 0.9999)).sse, [unsquash(0.5, 1e-4, 0.9999)], {
    step: 1,
    maxIterations: 300,
  });
  const alpha = squash(found.point[0]!, 1e-4, 0.9999);
  const run = ses(alpha);
  const fitted: (number | null)[] = run.fitted.map((v, t) => (t === 0 ? null : restore(v, t)));
  const errors: number[] = [];
  for (let t = 1; t < n; t++) errors.push(y[t]! - fitted[t]!);
  return {
    name: "theta",
    params: seasonal ? { alpha, drift: slope / 2, seasonal: 1 } : { alpha, drift: slope / 2 },
    fitted,
    sigma: sigmaOf(errors, 2),
    relativeErrors: false,
    forecast: (h) =>
      Array.from({ length: h }, (_, i) => {
        const step = i + 1;
        const value = run.level + (slope / 2) * (step - 1 + 1 / alpha - (1 - alpha) ** n / alpha);
        return restore(value, n + i);
      }),
    // Simple exponential smoothing's weights: c_j = alpha.
    varianceFactors: (h) => Array.from({ length: h }, (_, i) => 1 + i * alpha * alpha),
  };
}
