import { describe, expect, it } from "vitest";
import { findAnomalies, fitModel, forecastSeries, hasSeasonality, nelderMead, trendOf } from "../../src";

describe("Nelder-Mead", () => {
  it("finds the minimum of a quadratic bowl from a fixed start", () => {
    const found = nelderMead(([x, y]) => (x! - 3) ** 2 + (y! + 1) ** 2 + 2, [0, 0]);
    expect(found.point[0]).toBeCloseTo(3, 4);
    expect(found.point[1]).toBeCloseTo(-1, 4);
    expect(found.value).toBeCloseTo(2, 8);
  });
});

describe("baseline models", () => {
  it("seasonal naive repeats the last season; its variance grows one step per season", () => {
    const model = fitModel("seasonal-naive", [1, 2, 3, 4, 5, 6], 3);
    expect(model.forecast(4)).toEqual([4, 5, 6, 4]);
    expect(model.fitted).toEqual([null, null, null, 1, 2, 3]);
    // Errors 3, 3, 3: sigma = sqrt(27 / 3).
    expect(model.sigma).toBe(3);
    expect(model.varianceFactors(4)).toEqual([1, 1, 1, 2]);
  });
});

describe("exponential smoothing", () => {
  it("Holt's linear trend extrapolates an exact line", () => {
    const model = fitModel("holt", [10, 12, 14, 16, 18, 20, 22, 24, 26, 28], 1);
    const forecast = model.forecast(3);
    [30, 32, 34].forEach((v, i) => expect(forecast[i]).toBeCloseTo(v, 9));
    expect(model.sigma).toBeCloseTo(0, 9);
  });

  it("additive Holt-Winters recovers trend plus seasons and puts each season in its place", () => {
    // y = 100 + t + [5, -5, 10, -10][t mod 4]; the next season starts at t = 12.
    const y = Array.from({ length: 12 }, (_, t) => 100 + t + [5, -5, 10, -10][t % 4]!);
    const forecast = fitModel("holt-winters-additive", y, 4).forecast(4);
    [117, 108, 124, 105].forEach((v, i) => expect(forecast[i]).toBeCloseTo(v, 9));
  });

  it("multiplicative Holt-Winters follows seasons that grow with the level", () => {
    const y = Array.from({ length: 48 }, (_, t) => (100 + 2 * t) * [1.1, 0.9, 1.2, 0.8][t % 4]!);
    const forecast = fitModel("holt-winters-multiplicative", y.slice(0, 44), 4).forecast(4);
    // Within 0.1% of 206.8, 171, 230.4, 155.2.
    y.slice(44).forEach((v, i) => expect(Math.abs(forecast[i]! - v) / v).toBeLessThan(0.001));
  });

  it("damped trend: each step adds less than the one before", () => {
    const model = fitModel("damped-holt", [10, 13, 14, 17, 19, 20, 23, 24, 26, 29, 30, 31], 1);
    const phi = model.params.phi!;
    expect(phi).toBeGreaterThanOrEqual(0.8);
    expect(phi).toBeLessThanOrEqual(0.98);
    const [a, b, c] = model.forecast(3);
    expect(b! - a!).toBeGreaterThan(0);
    // The trend's increment shrinks by phi at each step.
    expect((c! - b!) / (b! - a!)).toBeCloseTo(phi, 9);
  });

  it("interval variance grows by the state-space weights c_j = alpha + alpha beta (phi + ... + phi^j) + gamma (1 - alpha) at whole seasons", () => {
    const y = Array.from({ length: 16 }, (_, t) => 50 + 3 * t + [4, -1, 2, -5][t % 4]! + ((t * 7) % 5) - 2);
    const model = fitModel("holt-winters-additive", y, 4);
    const { alpha, beta, gamma } = model.params as { alpha: number; beta: number; gamma: number };
    const c = (j: number) => alpha + alpha * beta * j + (j % 4 === 0 ? gamma * (1 - alpha) : 0);
    const expected = [1, 1 + c(1) ** 2, 1 + c(1) ** 2 + c(2) ** 2, 1 + c(1) ** 2 + c(2) ** 2 + c(3) ** 2];
    model.varianceFactors(4).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 12));
    const five = model.varianceFactors(5);
    expect(five[4]).toBeCloseTo(expected[3]! + c(4) ** 2, 12);
  });

  it("refuses multiplicative seasons on a series with zeros", () => {
    expect(() => fitModel("holt-winters-multiplicative", [0, 1, 2, 3, 0, 1, 2, 3], 4)).toThrow("positive values");
  });

  it("the Theta method extrapolates half the slope (drift = b/2) from the last level", () => {
    const model = fitModel("theta", [10, 12, 14, 16, 18, 20, 22, 24, 26, 28], 1);
    expect(model.params.drift).toBe(1);
    const forecast = model.forecast(3);
    [29, 30, 31].forEach((v, i) => expect(forecast[i]).toBeCloseTo(v, 3));
    // Variance grows as 1 + (h - 1) alpha^2.
    const alpha = model.params.alpha!;
    expect(model.varianceFactors(3)).toEqual([1, 1 + alpha ** 2, 1 + 2 * alpha ** 2]);
  });

  it("detects a season by its autocorrelation, and none in a straight line", () => {
    const seasonal = Array.from({ length: 24 }, (_, t) => [10, 20, 30, 40][t % 4]!);
    expect(hasSeasonality(seasonal, 4)).toBe(true);
    expect(hasSeasonality(seasonal.slice(0, 7), 4)).toBe(false);
    expect(hasSeasonality([1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 4)).toBe(false);
  });
});

describe("anomalies", () => {
  it("flags residuals with a robust z-score above 3.5 (0.6745 (r - median) / MAD)", () => {
    // Residuals = values (fitted 0): median 0.5, MAD 1.5, z(20) = 0.6745 x 19.5 / 1.5 = 8.77.
    const anomalies = findAnomalies([1, -1, 2, -2, 0, 1, -1, 20], [0, 0, 0, 0, 0, 0, 0, 0], 3.5, [
      "a",
      "b",
      "c",
      "d",
      "e",
      "f",
      "g",
      "h",
    ]);
    expect(anomalies).toEqual([{ index: 7, label: "h", value: 20, expected: 0, z: 8.77 }]);
  });

  it("falls back to the mean absolute deviation when the MAD is 0", () => {
    // Relative residuals 0 x 7 and 2: mean |r - 0| = 0.25, scale 0.25 x 1.2533 / 0.6745, z = 4.31.
    const anomalies = findAnomalies([10, 10, 10, 10, 10, 10, 10, 30], [10, 10, 10, 10, 10, 10, 10, 10]);
    expect(anomalies).toEqual([{ index: 7, value: 30, expected: 10, z: 4.31 }]);
  });
});

describe("trend", () => {
  it("with seasons: the mean change from the same periods a season earlier, per period", () => {
    const points = [14, 24, 34, 44].map((value, i) => ({
      step: i + 1,
      value,
      lower80: 0,
      upper80: 0,
      lower95: 0,
      upper95: 0,
    }));
    // Each forecast is 2 above a season ago: 2 / 4 = 0.5 per period; 0.5 x 4 / mean(12, 22, 32, 42) = 7.41%.
    expect(trendOf([10, 20, 30, 40, 12, 22, 32, 42], points, 4, 0.02)).toEqual({
      direction: "up",
      slopePerPeriod: 0.5,
      relativeChange: 0.0741,
    });
    expect(trendOf([10, 20, 30, 40, 12, 22, 32, 42], points, 4, 0.1).direction).toBe("flat");
  });

  it("without seasons: the forecast path's slope", () => {
    const points = [9, 8, 7].map((value, i) => ({
      step: i + 1,
      value,
      lower80: 0,
      upper80: 0,
      lower95: 0,
      upper95: 0,
    }));
    expect(trendOf([12, 11, 10], points, 1, 0.02)).toEqual({
      direction: "down",
      slopePerPeriod: -1,
      relativeChange: -0.3,
    });
  });
});

describe("the product's forecaster", () => {
  it("validates at rolling origins and explains the model, intervals, trend and anomalies", () => {
    const forecast = forecastSeries([1, 2, 3, 4, 5, 6, 7, 8], {
      horizon: 2,
      candidates: ["naive"],
      labels: ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8"],
      futureLabels: ["m9", "m10"],
    });
    // Origins after 3..6 points, 2 steps each: errors (1 + 2) / 2 = 1.5 at every origin.
    expect(forecast.result.validation).toEqual([{ candidate: "naive", meanAbsoluteError: 1.5 }]);
    expect(forecast.result.validationOrigins).toBe(4);
    // One-step errors all 1: sigma 1; step h has variance h.
    const [first, second] = forecast.result.points;
    expect(first).toMatchObject({ step: 1, label: "m9", value: 8 });
    expect(first!.upper80).toBeCloseTo(8 + 1.28155, 4);
    expect(first!.lower95).toBeCloseTo(8 - 1.95996, 4);
    expect(second!.upper95).toBeCloseTo(8 + 1.95996 * Math.SQRT2, 4);
    expect(forecast.result.trend).toEqual({ direction: "flat", slopePerPeriod: 0, relativeChange: 0 });
    // Relative residuals 1, 1/2, ..., 1/7: median 1/4, MAD 1/12, z(1) = 0.6745 x 0.75 x 12 = 6.07.
    expect(forecast.result.anomalies).toEqual([{ index: 1, label: "m2", value: 2, expected: 1, z: 6.07 }]);
    expect(forecast.explanation).toBe(
      "Forecast by naive (last value): it had the lowest error (mean absolute error 1.50) when re-fitted at 4 earlier points of the history and forecasting 2 periods ahead. " +
        "The trend is flat (0.00 per period). One anomaly in the history: m2 (2.00 against 1.00 expected, z 6.07).",
    );
    expect(forecast.engine).toEqual({ engine: "builtin", model: "naive", version: "1" });
    expect(forecast.factors[0]).toEqual({ name: "model: naive (last value)", impact: 1, value: "" });
    expect(forecast.factors.at(-1)).toEqual({ name: "anomaly at m2", impact: 6.07, value: 2 });
  });

  it("forecasts an exactly repeating season with zero-width intervals", () => {
    const forecast = forecastSeries(
      Array.from({ length: 24 }, (_, t) => [10, 20, 30, 40][t % 4]!),
      { horizon: 4, seasonLength: 4 },
    );
    forecast.result.points.forEach((p, i) => {
      expect(p.value).toBeCloseTo([10, 20, 30, 40][i]!, 6);
      expect(p.upper95 - p.lower95).toBeCloseTo(0, 6);
    });
    expect(forecast.result.trend.direction).toBe("flat");
    expect(forecast.result.anomalies).toEqual([]);
  });

  it("keeps forecasts and intervals inside the bounds it is given", () => {
    const forecast = forecastSeries([0.9, 0.5, 0.95, 0.4, 0.99], { horizon: 3, bounds: { min: 0, max: 1 } });
    for (const p of forecast.result.points) {
      expect(p.lower95).toBeGreaterThanOrEqual(0);
      expect(p.upper95).toBeLessThanOrEqual(1);
    }
    expect(forecast.result.points[0]!.upper95).toBe(1);
  });

  it("forecasts a series of zeros as zero, flat, with no anomalies", () => {
    const forecast = forecastSeries([0, 0, 0, 0, 0, 0, 0, 0, 0, 0], {
      horizon: 2,
      seasonLength: 4,
      bounds: { min: 0 },
    });
    expect(forecast.result.points.map((p) => [p.value, p.lower95, p.upper95])).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(forecast.result.trend).toEqual({ direction: "flat", slopePerPeriod: 0, relativeChange: 0 });
    expect(forecast.result.anomalies).toEqual([]);
  });

  it("answers bad input with a clear error", () => {
    expect(() => forecastSeries([], { horizon: 3 })).toThrow("the series is empty");
    expect(() => forecastSeries([1, 2], { horizon: 0 })).toThrow("horizon must be a whole number");
    expect(() => forecastSeries([1, Number.NaN], { horizon: 1 })).toThrow("not a finite number");
  });
});
