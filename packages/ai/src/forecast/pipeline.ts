// Forecasts from a tenant's plain CRM rows (no I/O): revenue and deal closures from the open
// pipeline weighted by stage win rates learned from closed deals, and series forecasts of won
// revenue, conversion rate, contact growth and churn per period.
import { builtin, type Explained, type Factor } from "../engine";
import { FORECAST_MODEL_VERSION, forecastSeries, type SeriesForecast } from "./forecaster";
import {
  addPeriods,
  periodLabel,
  periodsBetween,
  periodStart,
  seasonLengths,
  toDate,
  type DateInput,
  type PeriodUnit,
} from "./periods";
import { round, Z80, Z95 } from "./stats";

export interface PipelineStageRow {
  id: string;
  name?: string;
  position: number;
  /** The stage's configured win probability, 0-100. */
  probability: number;
  isWon?: boolean;
  isLost?: boolean;
}

export interface DealRow {
  id: string;
  stageId: string;
  status: "active" | "won" | "lost" | "paused";
  value: number;
  /** The deal's own win probability, 0-100 (null: the stage's). */
  probability?: number | null;
  expectedCloseDate?: DateInput | null;
  closedAt?: DateInput | null;
  /** The stages the deal has been in (deal_stage_history), in any order. */
  stageHistory?: readonly string[];
}

export interface StageWinRate {
  stageId: string;
  name: string;
  /** Closed deals that reached the stage, and how many of them were won. */
  closedDeals: number;
  wonDeals: number;
  configuredProbability: number;
  /** (won + k x configured) / (closed + k): the history, shrunk towards the configured probability. */
  winRate: number;
}

/** The open stages (neither won nor lost) in pipeline order. */
/** "deal" for exactly one, "deals" otherwise (0, 2, 0.6). */
const dealWord = (count: number) => (count === 1 ? "deal" : "deals");

function openStages(stages: readonly PipelineStageRow[]): PipelineStageRow[] {
  return stages.filter((s) => !s.isWon && !s.isLost).sort((a, b) => a.position - b.position);
}

/**
 * The open stages a deal reached: every stage in its history or its current stage, and every
 * earlier stage (a pipeline is walked in order); a won deal reached them all.
 */
export function stagesReached(deal: DealRow, stages: readonly PipelineStageRow[]): Set<string> {
  const ordered = openStages(stages);
  if (deal.status === "won") return new Set(ordered.map((s) => s.id));
  const seen = new Set([...(deal.stageHistory ?? []), deal.stageId]);
  let furthest = -1;
  ordered.forEach((s, i) => {
    if (seen.has(s.id)) furthest = i;
  });
  // A lost deal with no history of open stages was at least in the first one.
  if (furthest < 0 && ordered.length > 0) furthest = 0;
  return new Set(ordered.slice(0, furthest + 1).map((s) => s.id));
}

/** Each open stage's win rate from the won and lost deals that reached it. */
export function learnStageWinRates(
  deals: readonly DealRow[],
  stages: readonly PipelineStageRow[],
  priorWeight = 2,
): StageWinRate[] {
  const rates = openStages(stages).map((stage) => ({ stage, closed: 0, won: 0 }));
  for (const deal of deals) {
    if (deal.status !== "won" && deal.status !== "lost") continue;
    const reached = stagesReached(deal, stages);
    for (const r of rates) {
      if (!reached.has(r.stage.id)) continue;
      r.closed++;
      if (deal.status === "won") r.won++;
    }
  }
  return rates.map(({ stage, closed, won }) => {
    const configured = stage.probability / 100;
    const winRate = closed + priorWeight > 0 ? (won + priorWeight * configured) / (closed + priorWeight) : configured;
    return {
      stageId: stage.id,
      name: stage.name ?? stage.id,
      closedDeals: closed,
      wonDeals: won,
      configuredProbability: stage.probability,
      winRate,
    };
  });
}

export interface PipelinePeriod {
  label: string;
  openDeals: number;
  openValue: number;
  /** Sum of value x learned stage win rate, with its normal-approximation intervals. */
  expectedRevenue: number;
  revenueLower80: number;
  revenueUpper80: number;
  revenueLower95: number;
  revenueUpper95: number;
  /** Sum of value x the deal's own probability (the stage's configured one when it has none). */
  revenueByDealProbability: number;
  /** Expected deals won: the sum of learned win rates; intervals likewise. */
  expectedClosures: number;
  closuresLower80: number;
  closuresUpper80: number;
  closuresLower95: number;
  closuresUpper95: number;
}

export interface PipelineForecast {
  unit: PeriodUnit;
  stageWinRates: StageWinRate[];
  periods: PipelinePeriod[];
  /** Open deals whose expected close date has passed or is missing: counted in the first period. */
  overdueOrUndatedDeals: number;
  /** Open deals expected to close after the horizon: not in any period. */
  beyondHorizon: { deals: number; value: number };
  /** Paused deals are left out of the pipeline. */
  pausedDeals: number;
  /** Active deals whose stage is not one of the open stages given: left out. */
  dealsOutsideOpenStages: number;
  /** Monthly won revenue and won-deal counts from closed deals, forecast as series (absent with no closed history). */
  wonRevenueHistory: Explained<SeriesForecast> | null;
  wonDealsHistory: Explained<SeriesForecast> | null;
}

export interface PipelineForecastOptions {
  asOf: DateInput;
  horizon: number;
  unit?: PeriodUnit;
  /** Pseudo-deals at the configured probability each stage's rate is shrunk towards (default 2). */
  priorWeight?: number;
}

function normalBounds(mean: number, variance: number, z: number): [number, number] {
  const spread = z * Math.sqrt(variance);
  return [Math.max(0, mean - spread), mean + spread];
}

export function forecastPipeline(
  deals: readonly DealRow[],
  stages: readonly PipelineStageRow[],
  options: PipelineForecastOptions,
): Explained<PipelineForecast> {
  const unit = options.unit ?? "month";
  const horizon = options.horizon;
  if (!Number.isInteger(horizon) || horizon < 1)
    throw new RangeError("horizon must be a whole number of periods, at least 1");
  const first = periodStart(toDate(options.asOf), unit);
  const rates = learnStageWinRates(deals, stages, options.priorWeight ?? 2);
  const rateOf = new Map(rates.map((r) => [r.stageId, r]));
  const stageOf = new Map(stages.map((s) => [s.id, s]));

  const buckets = Array.from({ length: horizon }, (_, i) => ({
    label: periodLabel(addPeriods(first, unit, i), unit),
    deals: 0,
    value: 0,
    revenue: 0,
    revenueVariance: 0,
    byOwn: 0,
    closures: 0,
    closuresVariance: 0,
  }));
  let overdue = 0;
  const beyond = { deals: 0, value: 0 };
  let paused = 0;
  let outsideStages = 0;
  const stageRevenue = new Map<string, number>();
  for (const deal of deals) {
    if (deal.status === "paused") paused++;
    if (deal.status !== "active") continue;
    const rate = rateOf.get(deal.stageId);
    const stage = stageOf.get(deal.stageId);
    if (!rate || !stage) {
      // An active deal in a won/lost stage or a stage not given is not pipeline.
      outsideStages++;
      continue;
    }
    let index = 0;
    if (deal.expectedCloseDate === null || deal.expectedCloseDate === undefined) overdue++;
    else {
      index = periodsBetween(first, periodStart(toDate(deal.expectedCloseDate), unit), unit);
      if (index < 0) {
        overdue++;
        index = 0;
      }
    }
    if (index >= horizon) {
      beyond.deals++;
      beyond.value += deal.value;
      continue;
    }
    const p = rate.winRate;
    const own = (deal.probability ?? stage.probability) / 100;
    const b = buckets[index]!;
    b.deals++;
    b.value += deal.value;
    b.revenue += deal.value * p;
    b.revenueVariance += deal.value * deal.value * p * (1 - p);
    b.byOwn += deal.value * own;
    b.closures += p;
    b.closuresVariance += p * (1 - p);
    stageRevenue.set(deal.stageId, (stageRevenue.get(deal.stageId) ?? 0) + deal.value * p);
  }

  const periods: PipelinePeriod[] = buckets.map((b) => {
    const [rl80, ru80] = normalBounds(b.revenue, b.revenueVariance, Z80);
    const [rl95, ru95] = normalBounds(b.revenue, b.revenueVariance, Z95);
    const [cl80, cu80] = normalBounds(b.closures, b.closuresVariance, Z80);
    const [cl95, cu95] = normalBounds(b.closures, b.closuresVariance, Z95);
    return {
      label: b.label,
      openDeals: b.deals,
      openValue: round(b.value, 2),
      expectedRevenue: round(b.revenue, 2),
      revenueLower80: round(rl80, 2),
      revenueUpper80: round(ru80, 2),
      revenueLower95: round(rl95, 2),
      revenueUpper95: round(ru95, 2),
      revenueByDealProbability: round(b.byOwn, 2),
      expectedClosures: round(b.closures, 4),
      closuresLower80: round(cl80, 4),
      closuresUpper80: round(cu80, 4),
      closuresLower95: round(cl95, 4),
      closuresUpper95: round(cu95, 4),
    };
  });

  // The closed-won history as series over whole periods before `asOf`.
  const won = deals.filter((d) => d.status === "won" && d.closedAt !== null && d.closedAt !== undefined);
  const wonDates = won.map((d) => toDate(d.closedAt!));
  const revenueSeries = countSeries(
    wonDates,
    first,
    unit,
    won.map((d) => d.value),
  );
  const countsSeries = countSeries(wonDates, first, unit);
  const seriesOptions = (labels: string[]) => ({
    horizon,
    seasonLength: seasonLengths[unit],
    labels,
    futureLabels: buckets.map((b) => b.label),
    bounds: { min: 0 },
    periodName: unit,
  });
  const wonRevenueHistory = revenueSeries
    ? forecastSeries(revenueSeries.values, seriesOptions(revenueSeries.labels))
    : null;
  const wonDealsHistory = countsSeries ? forecastSeries(countsSeries.values, seriesOptions(countsSeries.labels)) : null;

  const total = periods.reduce((s, p) => s + p.expectedRevenue, 0);
  const totalOwn = periods.reduce((s, p) => s + p.revenueByDealProbability, 0);
  const totalClosures = periods.reduce((s, p) => s + p.expectedClosures, 0);
  const closed = deals.filter((d) => d.status === "won" || d.status === "lost").length;
  const openCount = periods.reduce((s, p) => s + p.openDeals, 0);
  const expectedWins = round(totalClosures, 2);
  const sentences = [
    `Expected revenue over the next ${horizon} ${unit}${horizon === 1 ? "" : "s"}: ${round(total, 2)} from ${openCount} open ${dealWord(openCount)}, ` +
      `each weighted by its stage's win rate learned from ${closed} closed ${dealWord(closed)} (${round(totalOwn, 2)} by the deals' own probabilities); ${expectedWins} ${dealWord(expectedWins)} expected to be won.`,
  ];
  if (overdue > 0)
    sentences.push(
      `${overdue} open deal${overdue === 1 ? " has" : "s have"} a past or missing expected close date and count in ${buckets[0]!.label}.`,
    );
  if (beyond.deals > 0)
    sentences.push(
      `${beyond.deals} open deal${beyond.deals === 1 ? " closes" : "s close"} after the horizon (value ${round(beyond.value, 2)}).`,
    );
  if (outsideStages > 0)
    sentences.push(
      `${outsideStages} active deal${outsideStages === 1 ? " is" : "s are"} in no open stage of this pipeline and left out.`,
    );
  if (paused > 0) sentences.push(`${paused} paused deal${paused === 1 ? " is" : "s are"} left out.`);

  const factors: Factor[] = rates
    .filter((r) => stageRevenue.has(r.stageId))
    .map((r) => ({
      name: `stage ${r.name}: learned win rate ${round(r.winRate * 100, 1)}% (${r.wonDeals} won of ${r.closedDeals} closed; configured ${r.configuredProbability}%)`,
      impact: round(stageRevenue.get(r.stageId)!, 2),
      value: round(r.winRate, 4),
    }))
    .sort((a, b) => b.impact - a.impact);

  return {
    result: {
      unit,
      stageWinRates: rates,
      periods,
      overdueOrUndatedDeals: overdue,
      beyondHorizon: { deals: beyond.deals, value: round(beyond.value, 2) },
      pausedDeals: paused,
      dealsOutsideOpenStages: outsideStages,
      wonRevenueHistory,
      wonDealsHistory,
    },
    explanation: sentences.join(" "),
    factors,
    engine: builtin("weighted-pipeline", FORECAST_MODEL_VERSION),
  };
}

/**
 * Sums (or counts) per whole period from the first event's period up to the period before
 * `current`; null when no event falls before it.
 */
function countSeries(
  dates: readonly Date[],
  current: Date,
  unit: PeriodUnit,
  weights?: readonly number[],
): { values: number[]; labels: string[] } | null {
  const starts = dates.map((d) => periodStart(d, unit)).filter((s) => s < current);
  if (starts.length === 0) return null;
  const origin = new Date(Math.min(...starts.map((s) => s.getTime())));
  const length = periodsBetween(origin, current, unit);
  const values = new Array<number>(length).fill(0);
  dates.forEach((d, i) => {
    const index = periodsBetween(origin, periodStart(d, unit), unit);
    if (index >= 0 && index < length) values[index]! += weights ? weights[i]! : 1;
  });
  return { values, labels: values.map((_, i) => periodLabel(addPeriods(origin, unit, i), unit)) };
}

export interface RateSeriesOptions {
  asOf: DateInput;
  horizon: number;
  unit?: PeriodUnit;
}

function futureLabels(asOf: DateInput, unit: PeriodUnit, horizon: number): { current: Date; labels: string[] } {
  const current = periodStart(toDate(asOf), unit);
  return {
    current,
    labels: Array.from({ length: horizon }, (_, i) => periodLabel(addPeriods(current, unit, i), unit)),
  };
}

export interface RateForecast {
  /** The history per whole period: numerator / denominator = rate. */
  history: { label: string; numerator: number; denominator: number; rate: number }[];
  forecast: Explained<SeriesForecast>;
}

/**
 * Lead-to-customer conversion per creation cohort: of the leads created in a period, the share
 * converted within `maturityPeriods` periods. Cohorts whose window has not ended by `asOf` are
 * left out (their leads are still converting).
 */
export function forecastConversionRate(
  leads: readonly { createdAt: DateInput; convertedAt?: DateInput | null }[],
  options: RateSeriesOptions & { maturityPeriods?: number },
): RateForecast {
  const unit = options.unit ?? "month";
  const maturity = options.maturityPeriods ?? 3;
  const { current, labels } = futureLabels(options.asOf, unit, options.horizon);
  const last = addPeriods(current, unit, -maturity); // cohorts before this one are complete
  const created = leads.map((l) => periodStart(toDate(l.createdAt), unit));
  const complete = created.filter((s) => s < last);
  if (complete.length === 0)
    throw new RangeError(`no lead cohort older than ${maturity} ${unit}s to learn a conversion rate from`);
  const origin = new Date(Math.min(...complete.map((s) => s.getTime())));
  const length = periodsBetween(origin, last, unit);
  const rows = Array.from({ length }, (_, i) => ({
    label: periodLabel(addPeriods(origin, unit, i), unit),
    numerator: 0,
    denominator: 0,
    rate: 0,
  }));
  leads.forEach((lead, i) => {
    const index = periodsBetween(origin, created[i]!, unit);
    if (index < 0 || index >= length) return;
    rows[index]!.denominator++;
    if (lead.convertedAt === null || lead.convertedAt === undefined) return;
    const within = periodsBetween(created[i]!, periodStart(toDate(lead.convertedAt), unit), unit);
    if (within < maturity) rows[index]!.numerator++;
  });
  return rateForecast(rows, unit, options.horizon, labels, "lead-to-customer conversion rate per cohort");
}

/**
 * Customer churn per period: customers who churned in the period over the customers active at
 * its start (started before it and not yet churned).
 */
export function forecastChurnRate(
  customers: readonly { startedAt: DateInput; churnedAt?: DateInput | null }[],
  options: RateSeriesOptions,
): RateForecast {
  const unit = options.unit ?? "month";
  const { current, labels } = futureLabels(options.asOf, unit, options.horizon);
  const spans = customers.map((c) => ({
    start: toDate(c.startedAt).getTime(),
    end: c.churnedAt === null || c.churnedAt === undefined ? Infinity : toDate(c.churnedAt).getTime(),
  }));
  if (spans.length === 0) throw new RangeError("no customers to learn a churn rate from");
  // The first period with customers at its start.
  const firstStart = periodStart(new Date(Math.min(...spans.map((s) => s.start))), unit);
  const origin = addPeriods(firstStart, unit, 1);
  const length = periodsBetween(origin, current, unit);
  if (length < 1)
    throw new RangeError(`no whole ${unit} with customers at its start before ${periodLabel(current, unit)}`);
  const rows = Array.from({ length }, (_, i) => {
    const from = addPeriods(origin, unit, i).getTime();
    const to = addPeriods(origin, unit, i + 1).getTime();
    const active = spans.filter((s) => s.start < from && s.end >= from);
    const churned = active.filter((s) => s.end < to).length;
    return { label: periodLabel(new Date(from), unit), numerator: churned, denominator: active.length, rate: 0 };
  });
  return rateForecast(rows, unit, options.horizon, labels, "customer churn rate");
}

function rateForecast(
  rows: RateForecast["history"],
  unit: PeriodUnit,
  horizon: number,
  labels: string[],
  what: string,
): RateForecast {
  for (const r of rows) r.rate = r.denominator > 0 ? round(r.numerator / r.denominator, 6) : 0;
  const forecast = forecastSeries(
    rows.map((r) => r.rate),
    {
      horizon,
      seasonLength: seasonLengths[unit],
      labels: rows.map((r) => r.label),
      futureLabels: labels,
      bounds: { min: 0, max: 1 },
      periodName: unit,
    },
  );
  forecast.explanation = `The ${what} over ${rows.length} ${unit}s. ${forecast.explanation}`;
  return { history: rows, forecast };
}

export interface GrowthForecast {
  history: { label: string; added: number; total: number }[];
  /** New contacts per period, forecast. */
  forecast: Explained<SeriesForecast>;
  /** The running total the forecast implies at the end of each future period (point, 80% and 95% bounds). */
  projectedTotals: {
    label: string;
    total: number;
    lower80: number;
    upper80: number;
    lower95: number;
    upper95: number;
  }[];
}

/** Contacts added per period, forecast, with the running total it implies. */
export function forecastContactGrowth(
  contacts: readonly { createdAt: DateInput }[],
  options: RateSeriesOptions,
): GrowthForecast {
  const unit = options.unit ?? "month";
  const { current, labels } = futureLabels(options.asOf, unit, options.horizon);
  const dates = contacts.map((c) => toDate(c.createdAt));
  const series = countSeries(dates, current, unit);
  if (!series) throw new RangeError(`no contact created before ${periodLabel(current, unit)} to learn growth from`);
  // The total at the start of the current period; the forecast adds the current period's whole intake.
  const total = dates.filter((d) => d < current).length;
  let running = 0;
  const history = series.values.map((added, i) => {
    running += added;
    return { label: series.labels[i]!, added, total: running };
  });
  const forecast = forecastSeries(series.values, {
    horizon: options.horizon,
    seasonLength: seasonLengths[unit],
    labels: series.labels,
    futureLabels: labels,
    bounds: { min: 0 },
    periodName: unit,
  });
  // Cumulative bounds add the per-period bounds: a cautious (wide) band, not an exact one.
  const projectedTotals: GrowthForecast["projectedTotals"] = [];
  const sums = { total: 0, lower80: 0, upper80: 0, lower95: 0, upper95: 0 };
  forecast.result.points.forEach((p, i) => {
    sums.total += p.value;
    sums.lower80 += p.lower80;
    sums.upper80 += p.upper80;
    sums.lower95 += p.lower95;
    sums.upper95 += p.upper95;
    projectedTotals.push({
      label: labels[i]!,
      total: round(total + sums.total, 2),
      lower80: round(total + sums.lower80, 2),
      upper80: round(total + sums.upper80, 2),
      lower95: round(total + sums.lower95, 2),
      upper95: round(total + sums.upper95, 2),
    });
  });
  forecast.explanation = `Contacts added per ${unit} over ${history.length} ${unit}s (${total} before ${labels[0]}). ${forecast.explanation}`;
  return { history, forecast, projectedTotals };
}
