import { env } from "cloudflare:test";
import { forecastSeries } from "@crm/ai";
import { beforeAll, describe, expect, it } from "vitest";
import { api, createKey, expectProblem, json, signupTenant, type TestTenant } from "../../../test/harness";
import { createContactVia } from "../contacts/test-support";
import { createDeal, moveDeal, patch, pipelineNamed, stageNamed, type Pipeline } from "../deals/test-support";

/** The start of the month `offset` months from the current one (UTC), and labels like the API's. */
const now = new Date();
const monthStart = (offset: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
const midMonth = (offset: number) => monthStart(offset).getTime() + 14 * 86_400_000;
const label = (offset: number) => monthStart(offset).toISOString().slice(0, 7);
const day = (offset: number) => monthStart(offset).toISOString().slice(0, 10);

/**
 * The API stamps creation, closing and lifecycle moves with the current time; a history with
 * known dates needs them set afterwards (a test-only arrangement of rows the API created).
 */
async function run(sql: string, ...values: unknown[]) {
  const result = await env.DB.prepare(sql)
    .bind(...values)
    .run();
  expect(result.meta.changes, sql).toBeGreaterThan(0);
}

const round = (v: number, digits: number) => {
  const r = Math.round(v * 10 ** digits) / 10 ** digits;
  return r === 0 ? 0 : r;
};

/** What the engine forecasts for these values, rounded as the API rounds: the API must pass the series through unchanged. */
function engineForecast(values: number[], horizon: number, digits: number, bounds: { min?: number; max?: number }) {
  const f = forecastSeries(values, { horizon, seasonLength: 12, bounds, periodName: "month" });
  return {
    points: f.result.points.map((p) =>
      [p.value, p.lower80, p.upper80, p.lower95, p.upper95].map((v) => round(v, digits)),
    ),
    model: f.engine.model,
    explanation: f.explanation,
  };
}

async function forecast(token: string, path: string) {
  const response = await api("GET", path, { token });
  expect(response.status, await response.clone().text()).toBe(200);
  return json(response);
}

/** Won revenue per month in A, oldest first (months -12 … -1). */
const wonValues = [1000, 1200, 1100, 1300, 1250, 1400, 1350, 1500, 1450, 1600, 1550, 1700];

describe("forecasts", () => {
  let a: TestTenant;
  let b: TestTenant;
  let sales: Pipeline;

  beforeAll(async () => {
    [a, b] = await Promise.all([signupTenant("Forecast A"), signupTenant("Forecast B")]);
    sales = await pipelineNamed(a.accessToken, "Sales");
    const won = stageNamed(sales, "Won").id;
    for (const [i, value] of wonValues.entries()) {
      const deal = await createDeal(a.accessToken, { name: `Won ${i}`, value });
      await moveDeal(a.accessToken, deal.id, { stageId: won });
      await run("update deals set closed_at = ? where id = ?", midMonth(i - 12), deal.id);
    }
    // A deal in euros: not in the dollar revenue, but a closure all the same.
    const euro = await createDeal(a.accessToken, { name: "Euro", value: 5000, currency: "EUR" });
    await moveDeal(a.accessToken, euro.id, { stageId: won });
    await run("update deals set closed_at = ? where id = ?", midMonth(-3), euro.id);
    // One open deal expected this month in Negotiating.
    await createDeal(a.accessToken, {
      name: "Open",
      value: 10_000,
      stageId: stageNamed(sales, "Negotiating").id,
      expectedCloseDate: day(0),
    });

    // Tenant B: large won deals in the same months, which A's series must never show.
    const bSales = await pipelineNamed(b.accessToken, "Sales");
    for (let i = 0; i < 3; i++) {
      const deal = await createDeal(b.accessToken, { name: `B ${i}`, value: 999_999 });
      await moveDeal(b.accessToken, deal.id, { stageId: stageNamed(bSales, "Won").id });
      await run("update deals set closed_at = ? where id = ?", midMonth(-3 - i), deal.id);
    }
  }, 120_000);

  it("forecasts A's revenue from A's won deals, raised where the weighted pipeline is higher", async () => {
    const body = await forecast(a.accessToken, "/api/v1/ai/forecasts/revenue?horizon=3");
    expect(body.metric).toBe("revenue");
    expect(body.period).toBe("month");
    expect(body.currency).toBe("USD");
    expect(body.unit).toBe("currency");
    expect(body.history.map((p: { label: string; value: number }) => [p.label, p.value])).toEqual(
      wonValues.map((v, i) => [label(i - 12), v]),
    );
    expect(body.history[0].start).toBe(day(-12));

    // The open deal: Negotiating's configured 80%, learned from 13 won deals (the euro one too) and no lost ones.
    const negotiating = stageNamed(sales, "Negotiating");
    const rate = (13 + 2 * (negotiating.probability / 100)) / 15;
    const row = body.pipeline.stageWinRates.find((r: { stageId: string }) => r.stageId === negotiating.id);
    expect(row).toMatchObject({ closedDeals: 13, wonDeals: 13, configuredProbability: 80, winRate: round(rate, 4) });
    expect(body.pipeline.openDeals).toBe(1);
    expect(body.pipeline.openValue).toBe(10_000);
    expect(body.pipeline.periods.map((p: { label: string; value: number }) => [p.label, p.value])).toEqual([
      [label(0), round(10_000 * rate, 2)],
      [label(1), 0],
      [label(2), 0],
    ]);

    // The pipeline's intervals: a Bernoulli win of the deal's value at the learned rate.
    const sd = 10_000 * Math.sqrt(rate * (1 - rate));
    const first = body.pipeline.periods[0];
    expect(first.lower80).toBeCloseTo(10_000 * rate - 1.2815515655446004 * sd, 1);
    expect(first.upper95).toBeCloseTo(10_000 * rate + 1.959963984540054 * sd, 1);

    // The series forecast is the engine's on exactly these values; this month takes the pipeline's larger figures.
    const expected = engineForecast(wonValues, 3, 2, { min: 0 });
    const pipelineFirst = [first.value, first.lower80, first.upper80, first.lower95, first.upper95] as number[];
    expect(
      body.forecast.map((p: Record<string, number>) => [p.value, p.lower80, p.upper80, p.lower95, p.upper95]),
    ).toEqual([
      expected.points[0]!.map((v, i) => Math.max(v, pipelineFirst[i]!)),
      expected.points[1],
      expected.points[2],
    ]);
    expect(first.value).toBeGreaterThan(expected.points[0]![0]!);
    expect(body.forecast.map((p: { label: string }) => p.label)).toEqual([label(0), label(1), label(2)]);
    expect(body.model.name).toBe(expected.model);
    expect(body.model.name).toBe(PINNED.revenueModel);
    expect(body.model.backtest.origins).toBeGreaterThan(0);
    expect(body.model.backtest.meanAbsoluteError).toBe(body.model.backtest.candidates[0].meanAbsoluteError);
    expect(body.trend.direction).toBe("up");
    expect(body.anomalies).toEqual([]);
    expect(body.engine).toEqual({ engine: "builtin", model: `${expected.model}+weighted-pipeline`, version: "1" });
    expect(body.explanation).toContain("Revenue (won deals' value in USD) over 12 months.");
    expect(body.explanation).toContain(
      "In 1 month the weighted open pipeline is above the history's forecast, and the forecast takes the pipeline's figure there.",
    );
    expect(body.factors.some((f: { name: string }) => f.name.startsWith("Sales stage Negotiating"))).toBe(true);
  });

  it("counts closures in every currency and answers a short history with an empty forecast and what is missing", async () => {
    const closures = await forecast(a.accessToken, "/api/v1/ai/forecasts/deal-closures?horizon=2");
    expect(closures.unit).toBe("count");
    expect(closures.currency).toBeNull();
    expect(closures.history.map((p: { value: number }) => p.value)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1]);
    expect(closures.forecast).toHaveLength(2);

    const euros = await forecast(a.accessToken, "/api/v1/ai/forecasts/revenue?currency=EUR");
    expect(euros.currency).toBe("EUR");
    expect(euros.history.map((p: { label: string; value: number }) => [p.label, p.value])).toEqual([
      [label(-3), 5000],
      [label(-2), 0],
      [label(-1), 0],
    ]);
    expect(euros.forecast).toEqual([]);
    expect(euros.model).toBeNull();
    expect(euros.trend).toBeNull();
    expect(euros.pipeline.otherCurrencyDeals).toBe(1);
    expect(euros.explanation).toBe(
      "Not enough history to forecast revenue (won deals' value in EUR): 3 whole months of it, and a forecast needs at least 6. " +
        "It will forecast once 3 more months of data have passed. There are no open deals to weight either.",
    );
  });

  it("shows tenant B none of A's deals, and A none of B's", async () => {
    const bRevenue = await forecast(b.accessToken, "/api/v1/ai/forecasts/revenue");
    expect(bRevenue.history.map((p: { value: number }) => p.value)).toEqual([999_999, 999_999, 999_999, 0, 0]);
    expect(bRevenue.pipeline.openDeals).toBe(0);
    expect(bRevenue.forecast).toEqual([]);
    const aRevenue = await forecast(a.accessToken, "/api/v1/ai/forecasts/revenue");
    expect(aRevenue.history.some((p: { value: number }) => p.value >= 999_999)).toBe(false);
    // A's pipeline id is not B's to name.
    await expectProblem(
      await api("GET", `/api/v1/ai/forecasts/revenue?pipelineId=${sales.id}`, { token: b.accessToken }),
      404,
      "NOT_FOUND",
    );
  });

  it("forecasts contact growth with the running total and flags the spike as an anomaly", async () => {
    const t = await signupTenant("Growth");
    const perMonth = [2, 2, 3, 3, 4, 4, 16, 5, 5, 6, 6, 7];
    const created: { id: string; month: number }[] = [];
    for (const [i, n] of perMonth.entries()) {
      const batch = await Promise.all(
        Array.from({ length: n }, (_, k) => createContactVia(t.accessToken, { firstName: `C${i}-${k}` })),
      );
      created.push(...batch.map((c) => ({ id: c.id as string, month: i - 12 })));
    }
    for (const c of created) await run("update contacts set created_at = ? where id = ?", midMonth(c.month), c.id);
    const body = await forecast(t.accessToken, "/api/v1/ai/forecasts/contact-growth?horizon=2");
    expect(body.history.map((p: { value: number }) => p.value)).toEqual(perMonth);
    const expected = engineForecast(perMonth, 2, 2, { min: 0 });
    expect(
      body.forecast.map((p: Record<string, number>) => [p.value, p.lower80, p.upper80, p.lower95, p.upper95]),
    ).toEqual(expected.points);
    expect(body.model.name).toBe(expected.model);
    expect(body.anomalies).toEqual(PINNED.growthAnomalies.map(({ offset, ...x }) => ({ label: label(offset), ...x })));
    expect(body.history[6].anomaly).not.toBeNull();
    expect(body.projectedTotals[0].value).toBeCloseTo(63 + expected.points[0]![0]!, 1);
    expect(body.explanation).toContain(`Contacts added per month over 12 months (63 before ${label(0)}).`);
  }, 60_000);

  it("forecasts the churn rate from lifecycle moves out of customer", async () => {
    const t = await signupTenant("Churn");
    const customers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        createContactVia(t.accessToken, { firstName: `K${i}`, lifecycleStage: "customer" }),
      ),
    );
    for (const c of customers)
      await run("update contact_lifecycle_history set changed_at = ? where contact_id = ?", midMonth(-9), c.id);
    // One churns in months -6, -4 and -2 (moved back to lead).
    for (const [k, month] of [-6, -4, -2].entries()) {
      const id = customers[k]!.id;
      await patch(t.accessToken, `/api/v1/contacts/${id}`, { lifecycleStage: "lead" });
      await run(
        "update contact_lifecycle_history set changed_at = ? where contact_id = ? and to_stage = 'lead'",
        midMonth(month),
        id,
      );
    }
    const body = await forecast(t.accessToken, "/api/v1/ai/forecasts/churn-rate?horizon=2");
    expect(
      body.history.map((p: Record<string, unknown>) => [p.label, p.start, p.numerator, p.denominator, p.value]),
    ).toEqual([
      [label(-8), day(-8), 0, 8, 0],
      [label(-7), day(-7), 0, 8, 0],
      [label(-6), day(-6), 1, 8, 0.125],
      [label(-5), day(-5), 0, 7, 0],
      [label(-4), day(-4), 1, 7, 0.142857],
      [label(-3), day(-3), 0, 6, 0],
      [label(-2), day(-2), 1, 6, 0.166667],
      [label(-1), day(-1), 0, 5, 0],
    ]);
    const expected = engineForecast([0, 0, 0.125, 0, 0.142857, 0, 0.166667, 0], 2, 4, { min: 0, max: 1 });
    expect(
      body.forecast.map((p: Record<string, number>) => [p.value, p.lower80, p.upper80, p.lower95, p.upper95]),
    ).toEqual(expected.points);
    expect(body.unit).toBe("rate");
    expect(body.explanation.startsWith("The customer churn rate over 8 months.")).toBe(true);

    // A tenant with no leads: no conversion history, an empty forecast and the reason.
    const conversion = await forecast(t.accessToken, "/api/v1/ai/forecasts/conversion-rate");
    expect(conversion.history).toEqual([]);
    expect(conversion.forecast).toEqual([]);
    expect(conversion.explanation).toBe(
      "Not enough history to forecast the lead conversion rate (leads converted within 3 months of being created, per creation month): " +
        "0 whole months of it, and a forecast needs at least 6. It will forecast once 6 more months of data have passed.",
    );
  }, 60_000);

  it("forecasts lead conversion per creation cohort, starting with the cohorts still converting", async () => {
    const t = await signupTenant("Conversion");
    // Four leads a month in months -10 … -4, of which this many converted within their month.
    const converted = [1, 2, 1, 2, 2, 3, 2];
    for (const [i, n] of converted.entries()) {
      for (let k = 0; k < 4; k++) {
        const lead = await json(
          await api("POST", "/api/v1/leads", { token: t.accessToken, body: { firstName: `L${i}-${k}` } }),
        );
        let convertedAt: number | null = null;
        if (k < n) {
          const response = await api("POST", `/api/v1/leads/${lead.id}/convert`, { token: t.accessToken, body: {} });
          expect(response.status, await response.clone().text()).toBe(201);
          convertedAt = midMonth(i - 10) + 86_400_000;
        }
        await run(
          "update leads set created_at = ?, converted_at = ? where id = ?",
          midMonth(i - 10),
          convertedAt,
          lead.id,
        );
      }
    }
    // A young cohort (still converting) is not history.
    const young = await json(
      await api("POST", "/api/v1/leads", { token: t.accessToken, body: { firstName: "Young" } }),
    );
    await run("update leads set created_at = ? where id = ?", midMonth(-2), young.id);

    const body = await forecast(t.accessToken, "/api/v1/ai/forecasts/conversion-rate?horizon=4");
    expect(
      body.history.map((p: Record<string, unknown>) => [p.label, p.start, p.numerator, p.denominator, p.value]),
    ).toEqual(converted.map((n, i) => [label(i - 10), day(i - 10), n, 4, n / 4]));
    const expected = engineForecast(
      converted.map((n) => n / 4),
      4,
      4,
      { min: 0, max: 1 },
    );
    expect(
      body.forecast.map((p: Record<string, number>) => [p.value, p.lower80, p.upper80, p.lower95, p.upper95]),
    ).toEqual(expected.points);
    expect(body.forecast.map((p: { label: string }) => p.label)).toEqual([label(-3), label(-2), label(-1), label(0)]);
    expect(body.explanation).toContain(
      `The last 3 months' cohorts are still converting, so the forecast starts with them (${label(-3)}).`,
    );
  }, 60_000);

  it("refuses bad parameters at the field at fault, unknown metrics, and keys without ai:read", async () => {
    const cases: [string, string][] = [
      ["/api/v1/ai/forecasts/revenue?horizon=0", "query.horizon"],
      ["/api/v1/ai/forecasts/revenue?horizon=25", "query.horizon"],
      ["/api/v1/ai/forecasts/revenue?period=day", "query.period"],
      ["/api/v1/ai/forecasts/revenue?currency=euro", "query.currency"],
      ["/api/v1/ai/forecasts/contact-growth?pipelineId=pip_x", "query.pipelineId"],
      ["/api/v1/ai/forecasts/churn-rate?currency=EUR", "query.currency"],
    ];
    for (const [path, field] of cases) {
      const problem = await expectProblem(await api("GET", path, { token: a.accessToken }), 422, "VALIDATION_FAILED");
      expect(
        problem.errors.map((e: { path: string }) => e.path),
        path,
      ).toEqual([field]);
    }
    await expectProblem(await api("GET", "/api/v1/ai/forecasts/profit", { token: a.accessToken }), 404, "NOT_FOUND");

    const reader = await createKey(a, ["ai:read"]);
    const viaKey = await forecast(reader.key, "/api/v1/ai/forecasts/deal-closures?period=week&horizon=4");
    expect(viaKey.period).toBe("week");
    expect(viaKey.forecast).toHaveLength(4);
    const other = await createKey(a, ["contacts:read"]);
    await expectProblem(
      await api("GET", "/api/v1/ai/forecasts/revenue", { token: other.key }),
      403,
      "INSUFFICIENT_SCOPE",
    );
    await expectProblem(await api("GET", "/api/v1/ai/forecasts/revenue"), 401);
  });
});

/** Pinned from the engine's run on these series (the tests above also recompute them). */
const PINNED = {
  revenueModel: "holt",
  growthAnomalies: [{ offset: -6, value: 16, expected: 3.76, z: 14.19 }],
};
