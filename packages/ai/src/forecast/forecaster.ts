// The product's forecaster: every eligible model re-fitted at rolling origins inside the history
// it is given, the best single model or equal-weight mean of the best few (whichever validated
// better) forecasts, with 80% and 95% intervals, the trend, and anomalies flagged on the history.
import { builtin, type Explained, type Factor } from "../engine";
import {
  fitModel,
  isSeasonalModel,
  minimumLength,
  modelDescriptions,
  modelNames,
  type FittedModel,
  type ModelName,
} from "./models";
import { mean, meanAbsoluteError, median, medianAbsoluteDeviation, round, Z80, Z95 } from "./stats";

export const FORECAST_MODEL_VERSION = "1";

export interface SeriesForecastOptions {
  /** Periods to forecast. */
  horizon: number;
  /** Periods in a season (12 for months, 52 for weeks, 7 for days); 1 for none. */
  seasonLength?: number;
  /** A label per history point (e.g. "2026-03"), used in anomalies and the explanation. */
  labels?: readonly string[];
  /** A label per forecast step. */
  futureLabels?: readonly string[];
  /** Values outside which neither forecasts nor intervals may go (counts: min 0; rates: 0..1). */
  bounds?: { min?: number; max?: number };
  /** The models to consider (default: all). */
  candidates?: readonly ModelName[];
  /** How many rolling origins to validate at (default: one season, between 4 and 12; fewer when the history is short). */
  validationOrigins?: number;
  /** Robust z-score beyond which a history point is an anomaly (default 3.5). */
  anomalyThreshold?: number;
  /** Relative change per season below which the trend is "flat" (default 0.02 = 2%). */
  flatThreshold?: number;
  /** How the trend's period is named in the explanation ("month", "week", "day"). */
  periodName?: string;
}

export interface ForecastPoint {
  step: number;
  label?: string;
  value: number;
  lower80: number;
  upper80: number;
  lower95: number;
  upper95: number;
}

export interface ValidationScore {
  /** A model name, or "mean of a + b" for a combination. */
  candidate: string;
  /** Mean absolute error over the validation origins and steps. */
  meanAbsoluteError: number;
}

export interface Anomaly {
  index: number;
  label?: string;
  value: number;
  expected: number;
  /** Robust z-score of the residual: 0.6745 (r - median) / MAD. */
  z: number;
}

export interface Trend {
  direction: "up" | "down" | "flat";
  /** Change per period in the series' units. */
  slopePerPeriod: number;
  /** Relative change over one season (or over the horizon without seasons). */
  relativeChange: number;
}

export interface SeriesForecast {
  /** The chosen model, or the combination's members. */
  models: { name: ModelName; weight: number; params: Record<string, number> }[];
  points: ForecastPoint[];
  trend: Trend;
  anomalies: Anomaly[];
  validation: ValidationScore[];
  /** Steps ahead and origins the validation used (0 origins when the history was too short to validate). */
  validationHorizon: number;
  validationOrigins: number;
  seasonLength: number;
}

/** Fits one model to the whole series and forecasts with its own intervals. */
export function forecastWithModel(
  name: ModelName,
  values: readonly number[],
  horizon: number,
  seasonLength = 1,
): { model: FittedModel; points: ForecastPoint[] } {
  const model = fitModel(name, values, seasonLength);
  return { model, points: pointsOf(model, horizon) };
}

function pointsOf(model: FittedModel, horizon: number): ForecastPoint[] {
  const forecast = model.forecast(horizon);
  const factors = model.varianceFactors(horizon);
  return forecast.map((value, i) => {
    const spread = model.sigma * Math.sqrt(factors[i]!);
    const scale = model.relativeErrors ? Math.abs(value) : 1;
    return {
      step: i + 1,
      value,
      lower80: value - Z80 * spread * scale,
      upper80: value + Z80 * spread * scale,
      lower95: value - Z95 * spread * scale,
      upper95: value + Z95 * spread * scale,
    };
  });
}

/** Fits safely: a model whose fit fails (e.g. multiplicative seasons on a series with zeros) is skipped. */
function tryFit(name: ModelName, values: readonly number[], m: number): FittedModel | null {
  try {
    const model = fitModel(name, values, m);
    const check = model.forecast(1)[0]!;
    return Number.isFinite(check) && Number.isFinite(model.sigma) ? model : null;
  } catch {
    return null;
  }
}

export function forecastSeries(values: readonly number[], options: SeriesForecastOptions): Explained<SeriesForecast> {
  const n = values.length;
  const horizon = options.horizon;
  if (!Number.isInteger(horizon) || horizon < 1)
    throw new RangeError("horizon must be a whole number of periods, at least 1");
  if (n === 0) throw new RangeError("the series is empty: nothing to forecast from");
  if (values.some((v) => !Number.isFinite(v)))
    throw new RangeError("the series has a value that is not a finite number");
  const m = Math.max(1, Math.floor(options.seasonLength ?? 1));
  const positive = values.every((v) => v > 0);
  const names = (options.candidates ?? modelNames).filter(
    (name) => (m > 1 || !isSeasonalModel(name)) && (positive || !name.includes("multiplicative")),
  );

  // Rolling-origin validation inside the history: each origin re-fits on the points before it.
  const validationHorizon = Math.max(1, Math.min(horizon, m > 1 ? m : horizon, Math.floor(n / 4)));
  const wantedOrigins = options.validationOrigins ?? Math.max(4, Math.min(m, 12));
  const floor = Math.min(...names.map((name) => minimumLength(name, m)));
  const origins = Math.max(0, Math.min(wantedOrigins, n - validationHorizon - Math.max(floor, 3) + 1));
  const firstOrigin = n - validationHorizon - origins + 1;
  const eligible = names.filter((name) => minimumLength(name, m) <= firstOrigin || origins === 0);
  const fittable = eligible.length > 0 ? eligible : (["naive"] as ModelName[]);

  const validationForecasts = new Map<ModelName, number[][]>();
  const actuals: number[][] = [];
  for (let o = 0; o < origins; o++) {
    const cut = firstOrigin + o;
    actuals.push(values.slice(cut, cut + validationHorizon));
  }
  if (origins > 0) {
    for (const name of fittable) {
      const runs: number[][] = [];
      for (let o = 0; o < origins && runs.length === o; o++) {
        const model = tryFit(name, values.slice(0, firstOrigin + o), m);
        if (model) runs.push(model.forecast(validationHorizon));
      }
      if (runs.length === origins) validationForecasts.set(name, runs);
    }
  }
  const errorOf = (runs: number[][]) => mean(runs.map((run, o) => meanAbsoluteError(actuals[o]!, run)));
  const ranked = [...validationForecasts.entries()]
    .map(([name, runs]) => ({ name, error: errorOf(runs) }))
    .sort((a, b) => a.error - b.error || fittable.indexOf(a.name) - fittable.indexOf(b.name));

  // Candidates: each single model, and the equal-weight means of the best two and best three.
  const validation: ValidationScore[] = ranked.map((r) => ({ candidate: r.name, meanAbsoluteError: r.error }));
  let chosen: ModelName[];
  if (ranked.length === 0) {
    // Too short to validate: the simplest model that fits.
    chosen = [fittable.find((name) => tryFit(name, values, m)) ?? "naive"];
  } else {
    chosen = [ranked[0]!.name];
    let bestError = ranked[0]!.error;
    for (const k of [2, 3]) {
      if (ranked.length < k) break;
      const members = ranked.slice(0, k).map((r) => r.name);
      const runs = actuals.map((_, o) =>
        Array.from({ length: validationHorizon }, (_, s) =>
          mean(members.map((name) => validationForecasts.get(name)![o]![s]!)),
        ),
      );
      const error = errorOf(runs);
      validation.push({ candidate: `mean of ${members.join(" + ")}`, meanAbsoluteError: error });
      if (error < bestError) {
        bestError = error;
        chosen = members;
      }
    }
    validation.sort((a, b) => a.meanAbsoluteError - b.meanAbsoluteError);
  }

  // Final fits on the whole history; the combination's intervals average the members' bounds.
  const fits = chosen.map((name) => tryFit(name, values, m)).filter((f): f is FittedModel => f !== null);
  if (fits.length === 0) fits.push(fitModel("naive", values, m));
  const memberPoints = fits.map((f) => pointsOf(f, horizon));
  const bounds = options.bounds ?? {};
  const clamp = (v: number) => Math.min(bounds.max ?? Infinity, Math.max(bounds.min ?? -Infinity, v));
  const points: ForecastPoint[] = Array.from({ length: horizon }, (_, i) => {
    const at = (key: keyof Omit<ForecastPoint, "step" | "label">) => clamp(mean(memberPoints.map((p) => p[i]![key])));
    const point: ForecastPoint = {
      step: i + 1,
      value: at("value"),
      lower80: at("lower80"),
      upper80: at("upper80"),
      lower95: at("lower95"),
      upper95: at("upper95"),
    };
    const label = options.futureLabels?.[i];
    if (label !== undefined) point.label = label;
    return point;
  });

  const fitted = values.map((_, t) => {
    const parts = fits.map((f) => f.fitted[t]);
    return parts.every((p): p is number => p !== null && p !== undefined) ? mean(parts) : null;
  });
  const anomalies = findAnomalies(values, fitted, options.anomalyThreshold ?? 3.5, options.labels);
  const trend = trendOf(values, points, m, options.flatThreshold ?? 0.02);

  const result: SeriesForecast = {
    models: fits.map((f) => ({ name: f.name, weight: 1 / fits.length, params: roundAll(f.params) })),
    points,
    trend,
    anomalies,
    validation,
    validationHorizon,
    validationOrigins: origins,
    seasonLength: m,
  };
  return {
    result,
    explanation: explain(result, options.periodName ?? "period", options.labels),
    factors: factorsOf(result),
    engine: builtin(fits.length > 1 ? "forecast-ensemble" : fits[0]!.name, FORECAST_MODEL_VERSION),
  };
}

function roundAll(params: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, round(v)]));
}

/**
 * Anomalies: residuals (relative ones when every value is positive, so a growing series is
 * judged on its own scale) whose robust z-score 0.6745 (r - median) / MAD exceeds the threshold
 * (Iglewicz and Hoaglin). With a MAD of 0, the mean absolute deviation x 1.2533 stands in.
 */
export function findAnomalies(
  values: readonly number[],
  fitted: readonly (number | null)[],
  threshold = 3.5,
  labels?: readonly string[],
): Anomaly[] {
  const relative = values.every((v) => v > 0) && fitted.every((f) => f === null || f > 0);
  const residuals: { index: number; r: number }[] = [];
  values.forEach((v, i) => {
    const f = fitted[i];
    if (f === null || f === undefined) return;
    residuals.push({ index: i, r: relative ? (v - f) / f : v - f });
  });
  if (residuals.length < 3) return [];
  const rs = residuals.map((x) => x.r);
  const centre = median(rs);
  const mad = medianAbsoluteDeviation(rs);
  const scale = mad > 0 ? mad / 0.6745 : (mean(rs.map((r) => Math.abs(r - centre))) * 1.2533) / 0.6745;
  if (!(scale > 0)) return [];
  const out: Anomaly[] = [];
  for (const { index, r } of residuals) {
    const z = (r - centre) / scale;
    if (Math.abs(z) > threshold) {
      const anomaly: Anomaly = { index, value: values[index]!, expected: fitted[index]!, z: round(z, 2) };
      const label = labels?.[index];
      if (label !== undefined) anomaly.label = label;
      out.push(anomaly);
    }
  }
  return out;
}

/**
 * The trend: with seasons, the mean change from the same periods one season earlier (seasonal
 * effects cancel), divided by the season's length; without, the forecast path's least-squares
 * slope (or the first step's change for a one-step horizon).
 */
export function trendOf(
  values: readonly number[],
  points: readonly ForecastPoint[],
  m: number,
  flatThreshold: number,
): Trend {
  const n = values.length;
  let slope: number;
  let reference: number;
  if (m > 1 && n >= m) {
    const k = Math.min(points.length, m);
    const diffs: number[] = [];
    const base: number[] = [];
    for (let j = 0; j < k; j++) {
      diffs.push(points[j]!.value - values[n - m + j]!);
      base.push(values[n - m + j]!);
    }
    slope = mean(diffs) / m;
    reference = mean(base);
  } else {
    const path = points.map((p) => p.value);
    slope = path.length >= 2 ? olsSlopeOf(path) : path[0]! - values[n - 1]!;
    reference = values[n - 1]!;
  }
  const span = m > 1 ? m : Math.max(1, points.length);
  const relativeChange = reference !== 0 ? (slope * span) / Math.abs(reference) : slope === 0 ? 0 : Math.sign(slope);
  const direction = Math.abs(relativeChange) < flatThreshold ? "flat" : slope > 0 ? "up" : "down";
  return { direction, slopePerPeriod: round(slope), relativeChange: round(relativeChange) };
}

function olsSlopeOf(path: readonly number[]): number {
  const xBar = (path.length - 1) / 2;
  const yBar = mean(path);
  let num = 0;
  let den = 0;
  path.forEach((y, i) => {
    num += (i - xBar) * (y - yBar);
    den += (i - xBar) ** 2;
  });
  return num / den;
}

function format(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 1 ? value.toFixed(2) : value.toPrecision(3);
}

function explain(result: SeriesForecast, periodName: string, labels?: readonly string[]): string {
  const names = result.models.map((m) => modelDescriptions[m.name]);
  const sentences: string[] = [];
  const which = names.length > 1 ? `the mean of ${names.join(", ")}` : names[0]!;
  if (result.validationOrigins > 0) {
    const chosenScore = result.validation[0]!;
    const runnerUp = result.validation.find((v) => v !== chosenScore);
    sentences.push(
      `Forecast by ${which}: it had the lowest error (mean absolute error ${format(chosenScore.meanAbsoluteError)}) ` +
        `when re-fitted at ${result.validationOrigins} earlier points of the history and forecasting ${result.validationHorizon} ${periodName}s ahead` +
        (runnerUp
          ? `; the next best, ${describeCandidate(runnerUp.candidate)}, scored ${format(runnerUp.meanAbsoluteError)}.`
          : "."),
    );
  } else {
    sentences.push(`Forecast by ${which}: the history is too short to compare models on it.`);
  }
  const t = result.trend;
  sentences.push(
    t.direction === "flat"
      ? `The trend is flat (${format(t.slopePerPeriod)} per ${periodName}).`
      : `The trend is ${t.direction}: ${t.slopePerPeriod > 0 ? "+" : ""}${format(t.slopePerPeriod)} per ${periodName} (${(t.relativeChange * 100).toFixed(1)}% per ${result.seasonLength > 1 ? "season" : "horizon"}).`,
  );
  if (result.anomalies.length === 0) sentences.push("No anomalies in the history.");
  else {
    const listed = result.anomalies.map(
      (a) =>
        `${a.label ?? labels?.[a.index] ?? `#${a.index + 1}`} (${format(a.value)} against ${format(a.expected)} expected, z ${a.z})`,
    );
    sentences.push(
      `${result.anomalies.length === 1 ? "One anomaly" : `${result.anomalies.length} anomalies`} in the history: ${listed.join(", ")}.`,
    );
  }
  return sentences.join(" ");
}

function describeCandidate(candidate: string): string {
  const names = candidate.replace(/^mean of /, "").split(" + ");
  const words = names.map((n) =>
    (modelNames as readonly string[]).includes(n) ? modelDescriptions[n as ModelName] : n,
  );
  return words.length > 1 ? `the mean of ${words.join(", ")}` : words[0]!;
}

function factorsOf(result: SeriesForecast): Factor[] {
  const factors: Factor[] = result.models.map((m) => ({
    name: `model: ${modelDescriptions[m.name]}`,
    impact: m.weight,
    value: Object.entries(m.params)
      .map(([k, v]) => `${k}=${v}`)
      .join(", "),
  }));
  factors.push({
    name: `trend per period (${result.trend.direction})`,
    impact: result.trend.slopePerPeriod,
    value: result.trend.relativeChange,
  });
  for (const a of [...result.anomalies].sort((x, y) => Math.abs(y.z) - Math.abs(x.z))) {
    factors.push({ name: `anomaly at ${a.label ?? `#${a.index + 1}`}`, impact: a.z, value: a.value });
  }
  return factors;
}
