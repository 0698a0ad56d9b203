/**
 * Lead conversion and churn models on public data, scored on a held-out part that neither
 * training nor tuning saw. Datasets: ../shared/datasets beside the repository (as in CI), or the
 * folder named by DATASETS_DIR.
 *
 *   pnpm --filter @crm/ai eval
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import {
  accuracyAtHalf,
  featureCount,
  stratifiedFolds,
  churnRisk,
  logLoss,
  parseLabel,
  predictRows,
  rocAuc,
  scoreWithModel,
  seededRandom,
  stratifiedSplit,
  trainScoringModel,
  type CandidateSummary,
  type ChurnLevel,
  type ScoringModel,
  type TrainOptions,
} from "../src";

const datasets = process.env.DATASETS_DIR ?? fileURLToPath(new URL("../../../../shared/datasets/", import.meta.url));

function load(relative: string): Record<string, string>[] {
  const path = `${datasets.replace(/\/$/, "")}/${relative}`;
  if (!existsSync(path)) {
    throw new Error(`dataset missing: ${path} (put shared/datasets beside the repository, or set DATASETS_DIR)`);
  }
  return parse(readFileSync(path), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
}

const LEAD_IDS = ["Prospect ID", "Lead Number"];
/** Filled in by sales reps after talking to the lead, so they partly encode the outcome. */
const REP_ASSIGNED = [
  "Tags",
  "Lead Quality",
  "Lead Profile",
  "Asymmetrique Activity Index",
  "Asymmetrique Profile Index",
  "Asymmetrique Activity Score",
  "Asymmetrique Profile Score",
];

interface Run {
  name: string;
  rows: number;
  trainRows: number;
  testRows: number;
  testAuc: number;
  testLogLoss: number;
  testAccuracy: number;
  innerHoldoutAuc: number | null;
  algorithm: string;
  candidates: string;
  features: number;
  trainMs: number;
  model: ScoringModel;
  testRowsData: Record<string, unknown>[];
}

const results: Run[] = [];

function describeCandidates(candidates: CandidateSummary[]): string {
  return candidates
    .map(
      (c) =>
        `${c.algorithm} ${c.crossValidatedAuc.toFixed(4)} (${[c.l2 === null ? "" : `L2 ${c.l2}`, c.rounds === null ? "" : `${c.rounds} trees`].filter(Boolean).join(", ")})`,
    )
    .join("; ");
}

function withoutFields(rows: Record<string, string>[], drop: string[]): Record<string, unknown>[] {
  return rows.map((r) => {
    const row: Record<string, unknown> = { ...r };
    for (const field of drop) delete row[field];
    return row;
  });
}

function evaluate(
  name: string,
  rows: Record<string, string>[],
  label: string,
  drop: string[],
  options: TrainOptions,
): Run {
  const labels = rows.map((r) => parseLabel(r[label]) ?? 0);
  const outer = stratifiedSplit(labels, 0.2, 2026);
  const kept = withoutFields(rows, drop);
  const train = outer.train.map((i) => kept[i] as Record<string, unknown>);
  const test = outer.test.map((i) => kept[i] as Record<string, unknown>);
  const started = performance.now();
  const trained = trainScoringModel(train, label, options);
  const trainMs = performance.now() - started;
  // The outer test rows are scored without their label, as new rows would be.
  const unlabelled = test.map(({ [label]: _label, ...rest }) => rest);
  const probabilities = predictRows(trained.model, unlabelled);
  const testLabels = outer.test.map((i) => labels[i] as number);
  const run: Run = {
    name,
    rows: rows.length,
    trainRows: train.length,
    testRows: test.length,
    testAuc: rocAuc(testLabels, probabilities),
    testLogLoss: logLoss(testLabels, probabilities),
    testAccuracy: accuracyAtHalf(testLabels, probabilities),
    innerHoldoutAuc: trained.holdout?.auc ?? null,
    algorithm: trained.stats.chosen.algorithm,
    candidates: describeCandidates(trained.stats.candidates),
    features: trained.stats.features,
    trainMs,
    model: trained.model,
    testRowsData: unlabelled,
  };
  results.push(run);
  console.log(
    `${name}: test AUC ${run.testAuc.toFixed(4)}, log loss ${run.testLogLoss.toFixed(4)}, accuracy ${run.testAccuracy.toFixed(4)}; ` +
      `${run.rows} rows (${run.trainRows} train, ${run.testRows} test); ${run.algorithm}; trained in ${Math.round(trainMs)} ms`,
  );
  return run;
}

describe("lead scoring and churn on public data", () => {
  const leads = load("leads/Leads.csv");
  const churn = load("churn/Telco-Customer-Churn.csv");
  const leadOptions: TrainOptions = { missingTokens: ["Select"] };

  it("leads, every column: AUC at least 0.98", () => {
    const run = evaluate("leads (all columns)", leads, "Converted", LEAD_IDS, leadOptions);
    expect(run.testAuc).toBeGreaterThanOrEqual(0.98);
  });

  it("leads without the rep-assigned columns: AUC at least 0.89", () => {
    const run = evaluate("leads (no rep-assigned)", leads, "Converted", [...LEAD_IDS, ...REP_ASSIGNED], leadOptions);
    expect(run.testAuc).toBeGreaterThanOrEqual(0.89);
    const explained = scoreWithModel(run.model, run.testRowsData[0] as Record<string, unknown>);
    console.log(`example lead: ${explained.explanation}`);
    expect(explained.factors.length).toBeGreaterThan(0);
  });

  it("telco churn: AUC above 0.84 over 5 held-out folds, and churn levels", () => {
    // 5,636 rows, a quarter churned: one 20% holdout's AUC moves by about ±0.012 with the seed,
    // so every row is held out once (5 stratified folds) and the folds' AUCs are averaged.
    const labels = churn.map((r) => parseLabel(r.Churn) ?? 0);
    const rows = withoutFields(churn, ["customerID"]);
    const folds = stratifiedFolds(labels, 5, 2026);
    const foldAucs: number[] = [];
    const levels: Record<ChurnLevel, number> = { low: 0, medium: 0, high: 0, critical: 0 };
    const outOfFold = new Float64Array(rows.length);
    let trainMs = 0;
    let last: { model: ScoringModel; test: Record<string, unknown>[]; candidates: string } | null = null;
    for (const test of folds) {
      const held = new Set(test);
      const train = rows.filter((_, i) => !held.has(i));
      const started = performance.now();
      const trained = trainScoringModel(train, "Churn", { holdoutFraction: 0 });
      trainMs += performance.now() - started;
      const testRows = test.map((i) => {
        const { Churn: _label, ...rest } = rows[i] as Record<string, unknown>;
        return rest;
      });
      const probabilities = predictRows(trained.model, testRows);
      test.forEach((row, k) => (outOfFold[row] = probabilities[k] as number));
      foldAucs.push(
        rocAuc(
          test.map((i) => labels[i] as number),
          probabilities,
        ),
      );
      for (const row of testRows) levels[churnRisk(trained.model, row).result.level]++;
      last = { model: trained.model, test: testRows, candidates: describeCandidates(trained.stats.candidates) };
    }
    const meanAuc = foldAucs.reduce((a, b) => a + b, 0) / foldAucs.length;
    const run: Run = {
      name: "telco churn (5 folds)",
      rows: rows.length,
      trainRows: rows.length - (folds[0]?.length ?? 0),
      testRows: rows.length,
      testAuc: meanAuc,
      testLogLoss: logLoss(labels, outOfFold),
      testAccuracy: accuracyAtHalf(labels, outOfFold),
      innerHoldoutAuc: null,
      algorithm: last?.model.algorithm ?? "-",
      candidates: last?.candidates ?? "-",
      features: last ? featureCount(last.model.encoder) : 0,
      trainMs: trainMs / folds.length,
      model: (last as NonNullable<typeof last>).model,
      testRowsData: (last as NonNullable<typeof last>).test,
    };
    results.push(run);
    console.log(
      `telco churn: fold AUCs ${foldAucs.map((a) => a.toFixed(4)).join(", ")}; mean ${meanAuc.toFixed(4)}; ` +
        `pooled out-of-fold AUC ${rocAuc(labels, outOfFold).toFixed(4)}; ${rows.length} rows, ${Math.round(run.trainMs)} ms per training`,
    );
    console.log(`churn levels over the held-out customers: ${JSON.stringify(levels)}`);
    // For comparison, the single 80/20 split the lead evals use (printed, not asserted): it lands on a hard fold.
    evaluate("telco churn (one 80/20 split)", churn, "Churn", ["customerID"], {});
    console.log(
      `example customer: ${churnRisk(run.model, run.testRowsData[0] as Record<string, unknown>).explanation}`,
    );
    expect(meanAuc).toBeGreaterThan(0.84);
  });

  it("a stored model (JSON) scores exactly as the trained one", () => {
    const run = results.find((r) => r.name === "leads (no rep-assigned)") as Run;
    const restored = JSON.parse(JSON.stringify(run.model)) as ScoringModel;
    expect(Array.from(predictRows(restored, run.testRowsData.slice(0, 200)))).toEqual(
      Array.from(predictRows(run.model, run.testRowsData.slice(0, 200))),
    );
  });

  it("training time on 10,000 rows", () => {
    // 10,000 leads drawn with replacement (seeded) from the lead file, every column.
    const random = seededRandom(10_000);
    const rows = Array.from({ length: 10_000 }, () => {
      const row: Record<string, unknown> = {
        ...(leads[Math.floor(random() * leads.length)] as Record<string, string>),
      };
      for (const field of LEAD_IDS) delete row[field];
      return row;
    });
    const timings: string[] = [];
    for (const algorithm of ["auto"] as const) {
      const started = performance.now();
      const trained = trainScoringModel(rows, "Converted", { ...leadOptions, algorithm });
      const ms = performance.now() - started;
      timings.push(
        `${algorithm}: ${Math.round(ms)} ms (${trained.stats.features} features, chose ${trained.stats.chosen.algorithm})`,
      );
      expect(trained.stats.labelledRows).toBe(10_000);
    }
    console.log(`training on 10,000 rows: ${timings.join("; ")}`);
    console.table(
      results.map((r) => ({
        dataset: r.name,
        rows: r.rows,
        train: r.trainRows,
        test: r.testRows,
        "test AUC": r.testAuc.toFixed(4),
        "inner holdout AUC": r.innerHoldoutAuc?.toFixed(4) ?? "-",
        "log loss": r.testLogLoss.toFixed(4),
        accuracy: r.testAccuracy.toFixed(4),
        model: r.algorithm,
        features: r.features,
        "train ms": Math.round(r.trainMs),
        "model JSON KB": Math.round(JSON.stringify(r.model).length / 1024),
      })),
    );
    console.table(
      results.map((r) => ({ dataset: r.name, "cross-validated candidates (AUC @ L2 or rounds)": r.candidates })),
    );
  });
});
