// Forecasts of a tenant's own figures: revenue and deal closures (the won history as a series,
// combined with the open pipeline weighted by learned stage win rates), lead conversion,
// contact growth and customer churn. Built on @crm/ai's forecaster; every answer carries its
// model, backtest error, explanation, factors and engine.
import {
  builtin,
  type EngineInfo,
  type Explained,
  type Factor,
  FORECAST_MODEL_VERSION,
  forecastChurnRate,
  forecastContactGrowth,
  forecastConversionRate,
  forecastPipeline,
  forecastSeries,
  periodStart,
  type PipelineForecast,
  seasonLengths,
  type SeriesForecast,
} from "@crm/ai";
import { ApiError } from "@crm/errors";
import type { TenantContext } from "../../context";
import {
  futurePeriods,
  historyLimit,
  minimumHistory,
  periodsFrom,
  windowAt,
  type ForecastPeriod,
  type Window,
} from "./periods";
import {
  contactsCreated,
  customerSpans,
  dealCurrencies,
  leadCohorts,
  pipelineInputs,
  wonDealsPerPeriod,
  type PipelineInput,
} from "./readers";

export const forecastMetrics = ["revenue", "deal-closures", "conversion-rate", "contact-growth", "churn-rate"] as const;
export type ForecastMetric = (typeof forecastMetrics)[number];

export interface ForecastQuery {
  period?: ForecastPeriod | undefined;
  horizon?: number | undefined;
  pipelineId?: string | undefined;
  currency?: string | undefined;
}

/** Periods (the cohort's maturity) a lead has to convert before its cohort's rate is final. */
const conversionMaturity: Record<ForecastPeriod, number> = { month: 3, week: 13 };

const Z80 = 1.2815515655446004;
const Z95 = 1.959963984540054;

const round = (value: number, digits: number) => {
  const f = 10 ** digits;
  const r = Math.round(value * f) / f;
  return r === 0 ? 0 : r;
};

export interface HistoryPoint {
  label: string;
  start: string;
  value: number;
  /** For rates: the counts behind the value (converted / created, churned / customers at the start). */
  numerator: number | null;
  denominator: number | null;
  /** Set when the point's residual is an anomaly: what the model expected there and the robust z-score. */
  anomaly: { expected: number; z: number } | null;
}

export interface ForecastPointOut {
  label: string;
  start: string;
  value: number;
  lower80: number;
  upper80: number;
  lower95: number;
  upper95: number;
}

export interface PipelinePart {
  openDeals: number;
  openValue: number;
  pausedDeals: number;
  overdueOrUndatedDeals: number;
  beyondHorizon: { deals: number; value: number };
  /** Open deals in another currency than the forecast's (revenue only): left out. */
  otherCurrencyDeals: number;
  stageWinRates: {
    pipelineId: string;
    stageId: string;
    name: string;
    closedDeals: number;
    wonDeals: number;
    configuredProbability: number;
    winRate: number;
  }[];
  periods: ForecastPointOut[];
}

export interface ForecastResult {
  metric: ForecastMetric;
  period: ForecastPeriod;
  horizon: number;
  pipelineId: string | null;
  currency: string | null;
  /** What the values count: money in `currency`, deals or contacts, or a rate between 0 and 1. */
  unit: "currency" | "count" | "rate";
  history: HistoryPoint[];
  forecast: ForecastPointOut[];
  trend: SeriesForecast["trend"] | null;
  anomalies: { label: string; value: number; expected: number; z: number }[];
  model: {
    name: string;
    members: { name: string; weight: number; params: Record<string, number> }[];
    backtest: {
      meanAbsoluteError: number;
      origins: number;
      horizon: number;
      candidates: { candidate: string; meanAbsoluteError: number }[];
    } | null;
  } | null;
  pipeline: PipelinePart | null;
  /** Contact growth: the running total each forecast period ends at. */
  projectedTotals: ForecastPointOut[] | null;
  explanation: string;
  factors: Factor[];
  engine: EngineInfo;
}

export async function aiForecast(ctx: TenantContext, metric: ForecastMetric, query: ForecastQuery = {}) {
  const unit = query.period ?? "month";
  const horizon = query.horizon ?? 6;
  if (query.pipelineId !== undefined && metric !== "revenue" && metric !== "deal-closures")
    throw new ApiError("VALIDATION_FAILED", "`pipelineId` applies to the revenue and deal-closures forecasts only", {
      errors: [{ path: "query.pipelineId", message: "Only for revenue and deal-closures" }],
    });
  if (query.currency !== undefined && metric !== "revenue")
    throw new ApiError("VALIDATION_FAILED", "`currency` applies to the revenue forecast only", {
      errors: [{ path: "query.currency", message: "Only for revenue" }],
    });
  const window = windowAt(new Date(), unit);
  switch (metric) {
    case "revenue":
    case "deal-closures":
      return dealsForecast(ctx, metric, window, horizon, query);
    case "conversion-rate":
      return conversionForecast(ctx, window, horizon);
    case "contact-growth":
      return growthForecast(ctx, window, horizon);
    case "churn-rate":
      return churnForecast(ctx, window, horizon);
  }
}

function base(
  metric: ForecastMetric,
  window: Window,
  horizon: number,
): Omit<ForecastResult, "unit" | "explanation" | "factors" | "engine" | "history"> {
  return {
    metric,
    period: window.unit,
    horizon,
    pipelineId: null,
    currency: null,
    forecast: [],
    trend: null,
    anomalies: [],
    model: null,
    pipeline: null,
    projectedTotals: null,
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function tooShort(what: string, length: number, unit: ForecastPeriod): string {
  const needed = minimumHistory[unit];
  return (
    `Not enough history to forecast ${what}: ${plural(length, `whole ${unit}`)} of it, and a forecast needs at least ${needed}. ` +
    `It will forecast once ${needed - length} more ${unit}${needed - length === 1 ? "" : "s"} of data ${needed - length === 1 ? "has" : "have"} passed.`
  );
}

/** The parts of a series forecast every metric returns: points, anomalies on the history, the model and its backtest. */
function seriesParts(
  explained: Explained<SeriesForecast>,
  history: HistoryPoint[],
  future: { label: string; start: string }[],
  digits: number,
): Pick<ForecastResult, "forecast" | "trend" | "anomalies" | "model"> {
  const f = explained.result;
  for (const a of f.anomalies) {
    const point = history[a.index];
    if (point) point.anomaly = { expected: round(a.expected, digits), z: a.z };
  }
  const chosen = f.models.length > 1 ? `mean of ${f.models.map((m) => m.name).join(" + ")}` : f.models[0]!.name;
  const score = f.validation.find((v) => v.candidate === chosen) ?? f.validation[0];
  return {
    forecast: f.points.map((p, i) => ({
      label: future[i]!.label,
      start: future[i]!.start,
      value: round(p.value, digits),
      lower80: round(p.lower80, digits),
      upper80: round(p.upper80, digits),
      lower95: round(p.lower95, digits),
      upper95: round(p.upper95, digits),
    })),
    trend: f.trend,
    anomalies: f.anomalies.map((a) => ({
      label: history[a.index]!.label,
      value: history[a.index]!.value,
      expected: round(a.expected, digits),
      z: a.z,
    })),
    model: {
      name: explained.engine.model,
      members: f.models,
      backtest:
        f.validationOrigins > 0 && score
          ? {
              meanAbsoluteError: round(score.meanAbsoluteError, digits + 2),
              origins: f.validationOrigins,
              horizon: f.validationHorizon,
              candidates: f.validation.map((v) => ({
                candidate: v.candidate,
                meanAbsoluteError: round(v.meanAbsoluteError, digits + 2),
              })),
            }
          : null,
    },
  };
}

/** Revenue (won value in one currency) or deal closures (won deals), history plus weighted pipeline. */
async function dealsForecast(
  ctx: TenantContext,
  metric: "revenue" | "deal-closures",
  window: Window,
  horizon: number,
  query: ForecastQuery,
): Promise<ForecastResult> {
  const revenue = metric === "revenue";
  const inputs = await pipelineInputs(ctx, query.pipelineId);
  let currency: string | null = null;
  if (revenue) currency = query.currency ?? (await dealCurrencies(ctx, query.pipelineId))[0]?.currency ?? "USD";
  const digits = revenue ? 2 : 4;
  const won = await wonDealsPerPeriod(ctx, window, { pipelineId: query.pipelineId, currency: currency ?? undefined });
  const byStart = new Map(won.map((row) => [row.start, revenue ? row.value : row.count]));
  const firstStart = won.map((row) => row.start).sort()[0];
  const periods = firstStart ? periodsFrom(new Date(`${firstStart}T00:00:00Z`), window) : [];
  const history: HistoryPoint[] = periods.map((p) => ({
    ...p,
    value: round(byStart.get(p.start) ?? 0, digits),
    numerator: null,
    denominator: null,
    anomaly: null,
  }));
  const future = futurePeriods(window, horizon);
  const pipeline = weightedPipeline(inputs, window, horizon, currency, future);
  const what = revenue ? `revenue (won deals' value in ${currency})` : "deal closures (won deals)";
  const result: ForecastResult = {
    ...base(metric, window, horizon),
    pipelineId: query.pipelineId ?? null,
    currency,
    unit: revenue ? "currency" : "count",
    history,
    pipeline: pipeline.part,
    explanation: "",
    factors: pipeline.factors,
    engine: builtin("weighted-pipeline", FORECAST_MODEL_VERSION),
  };
  const pipelineSentence = pipeline.part.openDeals > 0 ? ` ${pipeline.explanation}` : "";

  if (history.length < minimumHistory[window.unit]) {
    // No history to learn from: the open pipeline alone, when there is one.
    if (pipeline.part.openDeals > 0) {
      result.forecast = pipeline.part.periods;
      result.explanation = `${tooShort(what, history.length, window.unit).split(":")[0]}, so the forecast is the open pipeline alone.${pipelineSentence}`;
    } else {
      result.explanation = `${tooShort(what, history.length, window.unit)} There are no open deals to weight either.`;
    }
    return result;
  }

  const series = forecastSeries(
    history.map((p) => p.value),
    {
      horizon,
      seasonLength: seasonLengths[window.unit],
      labels: history.map((p) => p.label),
      futureLabels: future.map((p) => p.label),
      bounds: { min: 0 },
      periodName: window.unit,
    },
  );
  const parts = seriesParts(series, history, future, digits);
  // The combination: the history's forecast, raised where the open deals already weigh more.
  // The history's run rate includes deals not opened yet; a pipeline above it is business
  // already there. Bounds combine the same way.
  let raised = 0;
  const combined = parts.forecast.map((p, i) => {
    const q = pipeline.part.periods[i]!;
    if (q.value > p.value) raised++;
    return {
      ...p,
      value: Math.max(p.value, q.value),
      lower80: Math.max(p.lower80, q.lower80),
      upper80: Math.max(p.upper80, q.upper80),
      lower95: Math.max(p.lower95, q.lower95),
      upper95: Math.max(p.upper95, q.upper95),
    };
  });
  Object.assign(result, parts, { forecast: combined });
  result.engine = builtin(
    raised > 0 ? `${series.engine.model}+weighted-pipeline` : series.engine.model,
    FORECAST_MODEL_VERSION,
  );
  result.factors = [...series.factors, ...pipeline.factors];
  result.explanation =
    `${capital(what)} over ${plural(history.length, window.unit)}. ${series.explanation}${pipelineSentence}` +
    (raised > 0
      ? ` In ${plural(raised, window.unit)} the weighted open pipeline is above the history's forecast, and the forecast takes the pipeline's figure there.`
      : pipeline.part.openDeals > 0
        ? " The weighted open pipeline stays under the history's forecast in every period (the rest is business not opened yet)."
        : "");
  return result;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The open pipeline of every pipeline in scope, weighted by each stage's learned win rate, summed per period. */
function weightedPipeline(
  inputs: PipelineInput[],
  window: Window,
  horizon: number,
  currency: string | null,
  future: { label: string; start: string }[],
): { part: PipelinePart; explanation: string; factors: Factor[] } {
  const sums = future.map(() => ({ value: 0, variance: 0, deals: 0, openValue: 0 }));
  const part: PipelinePart = {
    openDeals: 0,
    openValue: 0,
    pausedDeals: 0,
    overdueOrUndatedDeals: 0,
    beyondHorizon: { deals: 0, value: 0 },
    otherCurrencyDeals: 0,
    stageWinRates: [],
    periods: [],
  };
  const explanations: string[] = [];
  const factors: Factor[] = [];
  for (const input of inputs) {
    const open = currency ? input.openDeals.filter((d) => d.currency === currency) : input.openDeals;
    part.otherCurrencyDeals += input.openDeals.length - open.length;
    if (input.stages.length === 0) continue;
    const explained: Explained<PipelineForecast> = forecastPipeline([...open, ...input.closedDeals], input.stages, {
      asOf: window.current,
      horizon,
      unit: window.unit,
    });
    const f = explained.result;
    part.pausedDeals += f.pausedDeals;
    part.overdueOrUndatedDeals += f.overdueOrUndatedDeals;
    part.beyondHorizon.deals += f.beyondHorizon.deals;
    part.beyondHorizon.value += f.beyondHorizon.value;
    for (const r of f.stageWinRates)
      part.stageWinRates.push({ pipelineId: input.id, ...r, winRate: round(r.winRate, 4) });
    f.periods.forEach((p, i) => {
      const s = sums[i]!;
      const mean = currency ? p.expectedRevenue : p.expectedClosures;
      const upper95 = currency ? p.revenueUpper95 : p.closuresUpper95;
      s.value += mean;
      s.variance += ((upper95 - mean) / Z95) ** 2;
      s.deals += p.openDeals;
      s.openValue += p.openValue;
    });
    const dealsHere = f.periods.reduce((n, p) => n + p.openDeals, 0);
    if (dealsHere > 0) {
      explanations.push(`${input.name}: ${explained.explanation}`);
      factors.push(...explained.factors.map((x) => ({ ...x, name: `${input.name} ${x.name}` })));
    }
  }
  const digits = currency ? 2 : 4;
  part.periods = sums.map((s, i) => {
    const sd = Math.sqrt(s.variance);
    return {
      label: future[i]!.label,
      start: future[i]!.start,
      value: round(s.value, digits),
      lower80: round(Math.max(0, s.value - Z80 * sd), digits),
      upper80: round(s.value + Z80 * sd, digits),
      lower95: round(Math.max(0, s.value - Z95 * sd), digits),
      upper95: round(s.value + Z95 * sd, digits),
    };
  });
  part.openDeals = sums.reduce((n, s) => n + s.deals, 0);
  part.openValue = round(
    sums.reduce((n, s) => n + s.openValue, 0),
    2,
  );
  part.beyondHorizon.value = round(part.beyondHorizon.value, 2);
  if (part.otherCurrencyDeals > 0)
    explanations.push(
      `${plural(part.otherCurrencyDeals, "open deal")} in another currency than ${currency} ${part.otherCurrencyDeals === 1 ? "is" : "are"} left out (no exchange rates).`,
    );
  return { part, explanation: explanations.join(" "), factors: factors.sort((a, b) => b.impact - a.impact) };
}

async function conversionForecast(ctx: TenantContext, window: Window, horizon: number): Promise<ForecastResult> {
  const maturity = conversionMaturity[window.unit];
  const rows = await leadCohorts(ctx, window);
  const result: ForecastResult = {
    ...base("conversion-rate", window, horizon),
    unit: "rate",
    history: [],
    explanation: "",
    factors: [],
    engine: builtin("none", FORECAST_MODEL_VERSION),
  };
  const what = `the lead conversion rate (leads converted within ${plural(maturity, window.unit)} of being created, per creation ${window.unit})`;
  // Cohorts younger than the maturity are still converting: they are forecast, not history.
  const complete = rows.filter((r) => r.createdAt < new Date(addUnits(window, -maturity))).length;
  if (complete === 0) {
    result.explanation = `${tooShort(what, 0, window.unit)}`;
    return result;
  }
  const rate = forecastConversionRate(rows, {
    asOf: window.current,
    horizon,
    unit: window.unit,
    maturityPeriods: maturity,
  });
  result.history = rate.history.map((h, i) => ({
    label: h.label,
    start: new Date(addUnits(window, -maturity - rate.history.length + i)).toISOString().slice(0, 10),
    value: h.rate,
    numerator: h.numerator,
    denominator: h.denominator,
    anomaly: null,
  }));
  if (result.history.length < minimumHistory[window.unit]) {
    result.explanation = tooShort(what, result.history.length, window.unit);
    return result;
  }
  // The forecast's first step is the cohort after the last complete one (still maturing).
  const firstFuture = addUnits(window, -maturity);
  const future = futurePeriods({ ...window, current: new Date(firstFuture) }, horizon);
  Object.assign(result, seriesParts(rate.forecast, result.history, future, 4));
  result.explanation = `${rate.forecast.explanation} The last ${plural(maturity, window.unit)}' cohorts are still converting, so the forecast starts with them (${future[0]!.label}).`;
  result.factors = rate.forecast.factors;
  result.engine = rate.forecast.engine;
  return result;
}

function addUnits(window: Window, count: number): number {
  const d = window.current;
  return window.unit === "month"
    ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + count, 1)
    : d.getTime() + count * 7 * 86_400_000;
}

async function growthForecast(ctx: TenantContext, window: Window, horizon: number): Promise<ForecastResult> {
  const { perPeriod, before } = await contactsCreated(ctx, window);
  const result: ForecastResult = {
    ...base("contact-growth", window, horizon),
    unit: "count",
    history: [],
    explanation: "",
    factors: [],
    engine: builtin("none", FORECAST_MODEL_VERSION),
  };
  const what = "contact growth (contacts created)";
  const firstStart = perPeriod.map((r) => r.start).sort()[0];
  const periods = firstStart ? periodsFrom(new Date(`${firstStart}T00:00:00Z`), window) : [];
  if (periods.length < minimumHistory[window.unit]) {
    result.history = historyOf(periods, perPeriod);
    result.explanation = tooShort(what, periods.length, window.unit);
    return result;
  }
  // One row per contact again (dated at its period's start): the engine counts them per period.
  const rows: { createdAt: Date }[] = [];
  for (const row of perPeriod) {
    const createdAt = new Date(`${row.start}T00:00:00Z`);
    for (let i = 0; i < row.count; i++) rows.push({ createdAt });
  }
  const growth = forecastContactGrowth(rows, { asOf: window.current, horizon, unit: window.unit });
  result.history = growth.history.map((h, i) => ({
    label: h.label,
    start: periods[i]!.start,
    value: h.added,
    numerator: null,
    denominator: null,
    anomaly: null,
  }));
  const future = futurePeriods(window, horizon);
  Object.assign(result, seriesParts(growth.forecast, result.history, future, 2));
  result.projectedTotals = growth.projectedTotals.map((t, i) => ({
    label: t.label,
    start: future[i]!.start,
    value: t.total + before,
    lower80: t.lower80 + before,
    upper80: t.upper80 + before,
    lower95: t.lower95 + before,
    upper95: t.upper95 + before,
  }));
  result.explanation =
    before > 0
      ? `${growth.forecast.explanation} ${plural(before, "contact")} created before ${periods[0]!.label} count in the totals only.`
      : growth.forecast.explanation;
  result.factors = growth.forecast.factors;
  result.engine = growth.forecast.engine;
  return result;
}

function historyOf(
  periods: { label: string; start: string }[],
  rows: { start: string; count: number }[],
): HistoryPoint[] {
  const byStart = new Map(rows.map((r) => [r.start, r.count]));
  return periods.map((p) => ({
    ...p,
    value: byStart.get(p.start) ?? 0,
    numerator: null,
    denominator: null,
    anomaly: null,
  }));
}

async function churnForecast(ctx: TenantContext, window: Window, horizon: number): Promise<ForecastResult> {
  const spans = await customerSpans(ctx);
  const result: ForecastResult = {
    ...base("churn-rate", window, horizon),
    unit: "rate",
    history: [],
    explanation: "",
    factors: [],
    engine: builtin("none", FORECAST_MODEL_VERSION),
  };
  const what =
    "the customer churn rate (contacts whose lifecycle stage moved from customer or evangelist to another stage, over the customers at the start of each period)";
  // Customers from before the window start just before it: the history begins at the window's first period.
  const before = new Date(addUnits(window, -historyLimit[window.unit] - 1));
  const kept = spans
    .filter((s) => s.churnedAt === null || s.churnedAt >= window.first)
    .map((s) => ({ startedAt: s.startedAt < before ? before : s.startedAt, churnedAt: s.churnedAt }));
  const firstStart = kept.length > 0 ? Math.min(...kept.map((s) => s.startedAt.getTime())) : null;
  const length =
    firstStart === null
      ? 0
      : Math.max(0, periodsFrom(periodStart(new Date(firstStart), window.unit), window).length - 1);
  if (length < minimumHistory[window.unit]) {
    result.explanation = tooShort(what, length, window.unit);
    if (length > 0) {
      const rate = forecastChurnRate(kept, { asOf: window.current, horizon: 1, unit: window.unit });
      result.history = rateHistory(rate.history, window);
    }
    return result;
  }
  const rate = forecastChurnRate(kept, { asOf: window.current, horizon, unit: window.unit });
  result.history = rateHistory(rate.history, window);
  const future = futurePeriods(window, horizon);
  Object.assign(result, seriesParts(rate.forecast, result.history, future, 4));
  result.explanation = rate.forecast.explanation;
  result.factors = rate.forecast.factors;
  result.engine = rate.forecast.engine;
  return result;
}

function rateHistory(rows: { label: string; numerator: number; denominator: number; rate: number }[], window: Window) {
  return rows.map((h, i) => ({
    label: h.label,
    start: new Date(addUnits(window, -rows.length + i)).toISOString().slice(0, 10),
    value: h.rate,
    numerator: h.numerator,
    denominator: h.denominator,
    anomaly: null,
  }));
}
