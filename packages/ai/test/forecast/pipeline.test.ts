import { describe, expect, it } from "vitest";
import {
  forecastChurnRate,
  forecastContactGrowth,
  forecastConversionRate,
  forecastPipeline,
  learnStageWinRates,
  periodStart,
  type DealRow,
  type PipelineStageRow,
} from "../../src";

const stages: PipelineStageRow[] = [
  { id: "s1", name: "Qualified", position: 1, probability: 10 },
  { id: "s2", name: "Proposal", position: 2, probability: 50 },
  { id: "won", name: "Won", position: 3, probability: 100, isWon: true },
  { id: "lost", name: "Lost", position: 4, probability: 0, isLost: true },
];

const deals: DealRow[] = [
  // Closed: two won (reached both stages), l1 lost in Qualified, l2 lost after Proposal, l3 lost with no history.
  { id: "w1", stageId: "won", status: "won", value: 5000, closedAt: "2026-01-10T12:00:00Z" },
  { id: "w2", stageId: "won", status: "won", value: 7000, closedAt: "2026-02-20T12:00:00Z" },
  { id: "l1", stageId: "s1", status: "lost", value: 800, closedAt: "2026-02-02T12:00:00Z" },
  {
    id: "l2",
    stageId: "lost",
    status: "lost",
    value: 900,
    stageHistory: ["s1", "s2", "lost"],
    closedAt: "2026-02-03T12:00:00Z",
  },
  { id: "l3", stageId: "lost", status: "lost", value: 100, closedAt: "2026-02-04T12:00:00Z" },
  // Open, as of 2026-03-15.
  { id: "o1", stageId: "s1", status: "active", value: 1000, expectedCloseDate: "2026-03-20" },
  { id: "o2", stageId: "s2", status: "active", value: 2000, probability: 80, expectedCloseDate: "2026-04-10" },
  { id: "o3", stageId: "s2", status: "active", value: 3000, expectedCloseDate: "2026-02-01" },
  { id: "o4", stageId: "s1", status: "active", value: 500 },
  { id: "o5", stageId: "s2", status: "active", value: 4000, expectedCloseDate: "2026-09-01" },
  { id: "p1", stageId: "s2", status: "paused", value: 9999, expectedCloseDate: "2026-03-30" },
  { id: "x1", stageId: "other-pipeline-stage", status: "active", value: 700, expectedCloseDate: "2026-03-30" },
];

describe("stage win rates", () => {
  it("learns each open stage's rate from the closed deals that reached it", () => {
    // Qualified: all 5 closed deals reached it, 2 won. Proposal: w1, w2, l2 reached it, 2 won.
    const raw = learnStageWinRates(deals, stages, 0);
    expect(raw.map((r) => [r.stageId, r.closedDeals, r.wonDeals, r.winRate])).toEqual([
      ["s1", 5, 2, 0.4],
      ["s2", 3, 2, 2 / 3],
    ]);
    // Shrunk towards the configured 10% and 50% by two pseudo-deals: (2 + 0.2) / 7 and (2 + 1) / 5.
    const shrunk = learnStageWinRates(deals, stages);
    expect(shrunk[0]!.winRate).toBeCloseTo(2.2 / 7, 12);
    expect(shrunk[1]!.winRate).toBeCloseTo(0.6, 12);
  });

  it("falls back to the configured probability for a stage no closed deal reached", () => {
    const rates = learnStageWinRates([], stages);
    expect(rates.map((r) => r.winRate)).toEqual([0.1, 0.5]);
  });
});

describe("pipeline forecast wording", () => {
  it("counts one deal in the singular", () => {
    const one = forecastPipeline([deals[0]!, deals[5]!], stages, {
      asOf: "2026-03-15T09:00:00Z",
      horizon: 1,
      priorWeight: 0,
    });
    expect(one.explanation).toBe(
      "Expected revenue over the next 1 month: 1000 from 1 open deal, each weighted by its stage's win rate learned from 1 closed deal (100 by the deals' own probabilities); 1 deal expected to be won.",
    );
  });
});

describe("pipeline forecast", () => {
  const forecast = forecastPipeline(deals, stages, { asOf: "2026-03-15T09:00:00Z", horizon: 3, priorWeight: 0 });

  it("weights open deals by learned stage rates per month of expected close", () => {
    const [march, april, may] = forecast.result.periods;
    // March: o1 1000 x 0.4 + o3 (overdue) 3000 x 2/3 + o4 (undated) 500 x 0.4 = 2600;
    // variance 1000^2 x 0.24 + 3000^2 x 2/9 + 500^2 x 0.24 = 2,300,000 (sd 1516.58).
    expect(march).toEqual({
      label: "2026-03",
      openDeals: 3,
      openValue: 4500,
      expectedRevenue: 2600,
      revenueLower80: 656.43,
      revenueUpper80: 4543.57,
      revenueLower95: 0,
      revenueUpper95: 5572.43,
      // Own probabilities: 1000 x 10% (stage's) + 3000 x 50% + 500 x 10%.
      revenueByDealProbability: 1650,
      expectedClosures: 1.4667,
      closuresLower80: 0.3927,
      closuresUpper80: 2.5406,
      closuresLower95: 0,
      closuresUpper95: 3.1091,
    });
    expect(april).toMatchObject({
      label: "2026-04",
      openDeals: 1,
      expectedRevenue: 1333.33,
      revenueByDealProbability: 1600,
    });
    expect(may).toMatchObject({ label: "2026-05", openDeals: 0, expectedRevenue: 0 });
    expect(forecast.result.overdueOrUndatedDeals).toBe(2);
    expect(forecast.result.beyondHorizon).toEqual({ deals: 1, value: 4000 });
    expect(forecast.result.pausedDeals).toBe(1);
    expect(forecast.result.dealsOutsideOpenStages).toBe(1);
  });

  it("forecasts the won history as a series with intervals", () => {
    // Won revenue: January 5000, February 7000 — too short to validate, so the last value with sigma 2000.
    const points = forecast.result.wonRevenueHistory!.result.points;
    expect(points.map((p) => [p.label, p.value])).toEqual([
      ["2026-03", 7000],
      ["2026-04", 7000],
      ["2026-05", 7000],
    ]);
    expect(points[0]!.upper80).toBeCloseTo(7000 + 1.28155 * 2000, 1);
    expect(forecast.result.wonDealsHistory!.result.points.map((p) => p.value)).toEqual([1, 1, 1]);
  });

  it("explains itself with the stages strongest first", () => {
    expect(forecast.explanation).toBe(
      "Expected revenue over the next 3 months: 3933.33 from 4 open deals, each weighted by its stage's win rate learned from 5 closed deals (3250 by the deals' own probabilities); 2.13 deals expected to be won. " +
        "2 open deals have a past or missing expected close date and count in 2026-03. 1 open deal closes after the horizon (value 4000). " +
        "1 active deal is in no open stage of this pipeline and left out. 1 paused deal is left out.",
    );
    expect(forecast.factors.map((f) => [f.name, f.impact])).toEqual([
      ["stage Proposal: learned win rate 66.7% (2 won of 3 closed; configured 50%)", 3333.33],
      ["stage Qualified: learned win rate 40% (2 won of 5 closed; configured 10%)", 600],
    ]);
    expect(forecast.engine).toEqual({ engine: "builtin", model: "weighted-pipeline", version: "1" });
  });
});

describe("rates and growth per period", () => {
  it("conversion rate per lead cohort, counting conversions within the maturity window", () => {
    const leads = [
      { createdAt: "2026-01-05", convertedAt: "2026-01-20" },
      { createdAt: "2026-01-10", convertedAt: "2026-02-15" },
      { createdAt: "2026-01-12", convertedAt: "2026-03-01" }, // 2 months later: outside a 2-month window
      { createdAt: "2026-01-30", convertedAt: null },
      { createdAt: "2026-02-03", convertedAt: "2026-02-04" },
      { createdAt: "2026-02-28" },
      { createdAt: "2026-03-01", convertedAt: "2026-04-02" },
      { createdAt: "2026-03-02" },
      { createdAt: "2026-03-03" },
      { createdAt: "2026-03-04" },
      { createdAt: "2026-03-31T23:59:00Z" },
      { createdAt: "2026-04-01", convertedAt: "2026-04-01" }, // April's cohort is still converting
    ];
    const result = forecastConversionRate(leads, { asOf: "2026-06-15", horizon: 2, maturityPeriods: 2 });
    expect(result.history).toEqual([
      { label: "2026-01", numerator: 2, denominator: 4, rate: 0.5 },
      { label: "2026-02", numerator: 1, denominator: 2, rate: 0.5 },
      { label: "2026-03", numerator: 1, denominator: 5, rate: 0.2 },
    ]);
    const [june] = result.forecast.result.points;
    expect(june).toMatchObject({ label: "2026-06", value: 0.2, lower80: 0, lower95: 0 });
    expect(
      result.forecast.explanation.startsWith(
        "The lead-to-customer conversion rate per cohort over 3 months. Forecast by naive",
      ),
    ).toBe(true);
  });

  it("churn rate per month over the customers active at its start", () => {
    const result = forecastChurnRate(
      [
        { startedAt: "2026-01-05" },
        { startedAt: "2026-01-20", churnedAt: "2026-03-03" },
        { startedAt: "2026-02-10", churnedAt: "2026-02-25" }, // joined and left within February
        { startedAt: "2026-03-01", churnedAt: "2026-04-15" },
      ],
      { asOf: "2026-05-10", horizon: 1 },
    );
    expect(result.history).toEqual([
      { label: "2026-02", numerator: 0, denominator: 2, rate: 0 },
      { label: "2026-03", numerator: 1, denominator: 2, rate: 0.5 },
      { label: "2026-04", numerator: 1, denominator: 2, rate: 0.5 },
    ]);
    expect(result.forecast.result.points[0]).toMatchObject({ label: "2026-05", value: 0.5, upper95: 1 });
  });

  it("contact growth per month and the running total it implies", () => {
    const created = ["2026-01-03", "2026-01-30", "2026-03-01", "2026-03-15", "2026-03-31", "2026-04-02"];
    const result = forecastContactGrowth(
      created.map((createdAt) => ({ createdAt })),
      { asOf: "2026-04-10", horizon: 2 },
    );
    expect(result.history).toEqual([
      { label: "2026-01", added: 2, total: 2 },
      { label: "2026-02", added: 0, total: 2 },
      { label: "2026-03", added: 3, total: 5 },
    ]);
    expect(result.projectedTotals.map((p) => [p.label, p.total, p.lower80])).toEqual([
      ["2026-04", 8, 5],
      ["2026-05", 11, 5],
    ]);
  });

  it("says what is missing when there is nothing to learn from", () => {
    expect(() => forecastChurnRate([], { asOf: "2026-05-10", horizon: 1 })).toThrow("no customers");
    expect(() => forecastContactGrowth([{ createdAt: "2026-04-02" }], { asOf: "2026-04-10", horizon: 1 })).toThrow(
      "no contact created before 2026-04",
    );
  });

  it("weeks start on Monday (UTC)", () => {
    expect(periodStart(new Date("2026-12-01T15:00:00Z"), "week").toISOString()).toBe("2026-11-30T00:00:00.000Z");
    expect(periodStart(new Date("2026-11-29T23:00:00Z"), "week").toISOString()).toBe("2026-11-23T00:00:00.000Z");
  });
});
