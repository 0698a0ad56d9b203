// Forecast backtests on the public monthly series: train on all but the last 12 months, forecast
// 12, MAPE against seasonal naive and Holt-Winters (additive and multiplicative). The product's
// forecaster chooses its models by rolling-origin validation inside the training months only.
// Also a rolling-origin variant: origins at each of the last 12 months, forecasting to the end.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { forecastSeries, forecastWithModel, mape, type ModelName } from "../src";

/** The datasets folder: $CRM_DATASETS, or shared/datasets beside the checkout (or beside its parent, for worktrees). */
function datasetsDir(): string {
  const candidates = [
    process.env.CRM_DATASETS,
    fileURLToPath(new URL("../../../../shared/datasets/", import.meta.url)),
    fileURLToPath(new URL("../../../../../shared/datasets/", import.meta.url)),
  ].filter((d): d is string => typeof d === "string" && d.length > 0);
  const found = candidates.find((d) => existsSync(`${d}/timeseries`));
  if (!found) throw new Error(`public datasets not found (looked in ${candidates.join(", ")}); set CRM_DATASETS`);
  return found;
}

/** A two-column CSV (label, value) with a header row. */
function readSeries(file: string): number[] {
  const lines = readFileSync(`${datasetsDir()}/timeseries/${file}`, "utf8").trim().split(/\r?\n/).slice(1);
  return lines.map((line) => {
    const value = Number(line.split(",").at(-1));
    if (!Number.isFinite(value)) throw new Error(`${file}: not a number in "${line}"`);
    return value;
  });
}

const SEASON = 12;
const HOLDOUT = 12;
const baselines: ModelName[] = ["seasonal-naive", "holt-winters-additive", "holt-winters-multiplicative"];
const columns = [...baselines, "product"] as const;
type Column = (typeof columns)[number];

function forecastBy(column: Column, train: number[], horizon: number): { values: number[]; models: string } {
  if (column === "product") {
    const f = forecastSeries(train, { horizon, seasonLength: SEASON });
    return { values: f.result.points.map((p) => p.value), models: f.result.models.map((m) => m.name).join(" + ") };
  }
  return { values: forecastWithModel(column, train, horizon, SEASON).points.map((p) => p.value), models: column };
}

interface Row {
  series: string;
  points: number;
  backtest: Record<Column, number>;
  rolling: Record<Column, number>;
  chosen: string;
  coverage80: number;
  coverage95: number;
}

function evaluate(file: string): Row {
  const y = readSeries(file);
  const n = y.length;
  const backtest = {} as Record<Column, number>;
  const rolling = {} as Record<Column, number>;
  let chosen = "";
  let coverage80 = 0;
  let coverage95 = 0;
  for (const column of columns) {
    const train = y.slice(0, n - HOLDOUT);
    const f = forecastBy(column, train, HOLDOUT);
    backtest[column] = mape(y.slice(n - HOLDOUT), f.values);
    if (column === "product") chosen = f.models;
    if (column === "product") {
      // How often the held-out months fell inside the product's intervals.
      const points = forecastSeries(train, { horizon: HOLDOUT, seasonLength: SEASON }).result.points;
      const actual = y.slice(n - HOLDOUT);
      coverage80 = actual.filter((v, i) => v >= points[i]!.lower80 && v <= points[i]!.upper80).length / HOLDOUT;
      coverage95 = actual.filter((v, i) => v >= points[i]!.lower95 && v <= points[i]!.upper95).length / HOLDOUT;
    }
    // Rolling origin: train on y[0..o), forecast y[o..n) for o = n-12 .. n-1, pooled MAPE.
    const actual: number[] = [];
    const predicted: number[] = [];
    for (let o = n - HOLDOUT; o < n; o++) {
      actual.push(...y.slice(o));
      predicted.push(...forecastBy(column, y.slice(0, o), n - o).values);
    }
    rolling[column] = mape(actual, predicted);
  }
  return { series: file.replace(/\.csv$/, ""), points: n, backtest, rolling, chosen, coverage80, coverage95 };
}

describe("forecast backtests on the public monthly series", () => {
  const rows = ["monthly-shampoo-sales.csv", "airline-passengers.csv"].map(evaluate);

  it("prints the MAPE table", () => {
    const pad = (s: string, w: number) => s.padEnd(w);
    const num = (v: number) => v.toFixed(2).padStart(8);
    const header = `${pad("series", 24)}${pad("test", 10)}${columns.map((c) => c.replace("holt-winters-", "HW-").padStart(20)).join("")}`;
    const lines = [header, "-".repeat(header.length)];
    for (const r of rows) {
      lines.push(
        `${pad(r.series, 24)}${pad("last 12", 10)}${columns.map((c) => num(r.backtest[c]).padStart(20)).join("")}`,
      );
      lines.push(`${pad("", 24)}${pad("rolling", 10)}${columns.map((c) => num(r.rolling[c]).padStart(20)).join("")}`);
      lines.push(`${pad("", 24)}product's choice on the 12-month backtest: ${r.chosen}`);
      lines.push(
        `${pad("", 24)}held-out months inside its 80% / 95% intervals: ${Math.round(r.coverage80 * 12)}/12, ${Math.round(r.coverage95 * 12)}/12`,
      );
    }
    console.log(
      `\nMAPE % (train on all but the last 12 months; rolling = origins at each of the last 12 months)\n${lines.join("\n")}\n`,
    );
    expect(rows).toHaveLength(2);
  });

  for (const series of ["monthly-shampoo-sales", "airline-passengers"]) {
    it(`${series}: the product's MAPE is below seasonal naive and both Holt-Winters`, () => {
      const row = rows.find((r) => r.series === series)!;
      for (const baseline of baselines) expect(row.backtest.product).toBeLessThan(row.backtest[baseline]);
    });
  }
});
