/**
 * Training and scoring over generic records: a tenant's rows with any fields and a label field.
 * The result is one JSON-serialisable model (encoder + predictor + its holdout figures) and
 * per-row probabilities explained field by field.
 */
import { builtin, type EngineInfo, type Explained, type Factor } from "../engine";
import { boostedContributions, boostedLogit, fitBoosted, type BoostedModel, type BoostingOptions } from "./boosting";
import {
  displayValue,
  encodeRow,
  encodeRows,
  featureCount,
  featureInfo,
  fitEncoder,
  type EncoderOptions,
  type FeatureEncoder,
} from "./encoding";
import { fitLogistic, logisticContributions, logisticLogit, sigmoid, type LogisticModel } from "./logistic";
import { accuracyAtHalf, logLoss, rocAuc, stratifiedFolds, stratifiedSplit } from "./metrics";

export const SCORING_MODEL_VERSION = "1";

/** "blend" averages the log-odds of a logistic regression and boosted trees. */
export type ScoringAlgorithm = "logistic-regression" | "gradient-boosted-trees" | "blend";

/** The logistic regression's share of a blend's log-odds. */
const BLEND_WEIGHT = 0.5;

export interface BlendModel {
  kind: "blend";
  /** Log-odds = weight × logistic + (1 - weight) × trees. */
  weight: number;
  logistic: LogisticModel;
  trees: BoostedModel;
}

export type Predictor = LogisticModel | BoostedModel | BlendModel;

/** Quantile bands per numeric field unless the caller says otherwise (they let the linear model bend). */
const DEFAULT_NUMERIC_BANDS = 10;

/** Encoder options (see EncoderOptions; `numericBands` defaults to 10 here) and the training choices. */
export interface TrainOptions extends EncoderOptions {
  /** Which model to fit; "auto" (default) keeps logistic regression unless trees or the blend beat it in cross-validation by `treesMargin`. */
  algorithm?: ScoringAlgorithm | "auto";
  /** Cross-validated AUC the trees or the blend must gain over logistic regression to be chosen; default 0.003. */
  treesMargin?: number;
  /** Label values meaning the positive outcome; every other present value is negative. Default: true/1/yes/won/converted/churned against false/0/no/lost. */
  positiveLabels?: (string | number | boolean)[];
  /** Share of labelled rows held out to measure the model; default 0.2 (0 skips the holdout). */
  holdoutFraction?: number;
  /** Seed for the holdout split and the folds; default 1. */
  seed?: number;
  /** L2 strengths tried by cross-validation; default [0.1, 0.3, 1, 3, 10, 30, 100, 300]. */
  l2Grid?: number[];
  /** Folds for tuning; default 3. */
  folds?: number;
  /** Tree settings; `rounds` is the most tried, cross-validation picks the count. */
  boosting?: BoostingOptions;
  /** After measuring on the holdout, refit on every labelled row with the chosen settings; default true. */
  refitOnAllRows?: boolean;
}

export interface HoldoutMetrics {
  rows: number;
  positives: number;
  auc: number;
  logLoss: number;
  accuracy: number;
}

export interface CandidateSummary {
  algorithm: ScoringAlgorithm;
  /** Mean AUC over the tuning folds at the best setting. */
  crossValidatedAuc: number;
  /** The chosen L2 strength (logistic part) and tree count (trees part). */
  l2: number | null;
  rounds: number | null;
}

export interface ScoringModel {
  version: string;
  labelField: string;
  algorithm: ScoringAlgorithm;
  encoder: FeatureEncoder;
  predictor: Predictor;
  /** Labelled rows the stored predictor was fitted on, and the positive share among them. */
  trainedRows: number;
  positiveRate: number;
  /** Measured on rows the measured predictor never saw (null when there were too few rows). */
  holdout: HoldoutMetrics | null;
}

export interface TrainingStats {
  rows: number;
  labelledRows: number;
  /** Rows skipped because the label was absent or not recognised. */
  unlabelledRows: number;
  positives: number;
  fields: number;
  features: number;
  candidates: CandidateSummary[];
  chosen: CandidateSummary;
  refitOnAllRows: boolean;
}

export interface TrainingResult {
  model: ScoringModel;
  holdout: HoldoutMetrics | null;
  stats: TrainingStats;
}

const DEFAULT_POSITIVE = new Set(["true", "1", "yes", "y", "won", "converted", "churned"]);
const DEFAULT_NEGATIVE = new Set(["false", "0", "no", "n", "lost", "not converted", "retained"]);

/** 1, 0, or null when the row carries no usable label. */
export function parseLabel(value: unknown, positiveLabels?: (string | number | boolean)[]): 0 | 1 | null {
  if (value === null || value === undefined) return null;
  const text = String(value).trim().toLowerCase();
  if (text === "") return null;
  if (positiveLabels) return positiveLabels.some((p) => String(p).trim().toLowerCase() === text) ? 1 : 0;
  if (DEFAULT_POSITIVE.has(text)) return 1;
  if (DEFAULT_NEGATIVE.has(text)) return 0;
  return null;
}

/** Rows `indices` of a row-major matrix, copied. */
function takeRows(x: Float64Array, p: number, indices: readonly number[]): Float64Array {
  const out = new Float64Array(indices.length * p);
  indices.forEach((r, i) => out.set(x.subarray(r * p, (r + 1) * p), i * p));
  return out;
}

function take(y: ArrayLike<number>, indices: readonly number[]): Float64Array {
  return Float64Array.from(indices, (i) => y[i] as number);
}

function predictorLogit(predictor: Predictor, row: ArrayLike<number>): number {
  if (predictor.kind === "logistic") return logisticLogit(predictor, row);
  if (predictor.kind === "boosted-trees") return boostedLogit(predictor, row);
  return (
    predictor.weight * logisticLogit(predictor.logistic, row) +
    (1 - predictor.weight) * boostedLogit(predictor.trees, row)
  );
}

function logitMatrix(predictor: Predictor, x: Float64Array, p: number): Float64Array {
  const n = p === 0 ? 0 : x.length / p;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = predictorLogit(predictor, x.subarray(i * p, (i + 1) * p));
  return out;
}

function predictMatrix(predictor: Predictor, x: Float64Array, p: number): Float64Array {
  return logitMatrix(predictor, x, p).map(sigmoid);
}

function fitWith(
  chosen: CandidateSummary,
  x: Float64Array,
  y: ArrayLike<number>,
  p: number,
  boosting: BoostingOptions,
): Predictor {
  const logistic = () => fitLogistic(x, y, p, { l2: chosen.l2 ?? 1 }).model;
  const trees = () => fitBoosted(x, y, p, { ...boosting, rounds: chosen.rounds ?? 100 }).model;
  if (chosen.algorithm === "logistic-regression") return logistic();
  if (chosen.algorithm === "gradient-boosted-trees") return trees();
  return { kind: "blend", weight: BLEND_WEIGHT, logistic: logistic(), trees: trees() };
}

interface Tuned {
  candidates: CandidateSummary[];
  chosen: CandidateSummary;
}

/** Cross-validation on the training part only: the L2 strength, the tree count, and which model. */
function tune(x: Float64Array, y: Float64Array, p: number, options: TrainOptions, seed: number): Tuned {
  const algorithm = options.algorithm ?? "auto";
  const k = options.folds ?? 3;
  const folds = stratifiedFolds(y, k, seed + 1);
  const splits = folds.map((test, f) => {
    const train = folds.flatMap((fold, g) => (g === f ? [] : fold));
    return { trainX: takeRows(x, p, train), trainY: take(y, train), testX: takeRows(x, p, test), testY: take(y, test) };
  });
  const candidates: CandidateSummary[] = [];
  // Each candidate's log-odds on every fold's held-out rows, at its best setting.
  let linearLogits: Float64Array[] | null = null;
  let treeLogits: Float64Array[] | null = null;
  const foldAuc = (logits: Float64Array[]) =>
    logits.reduce((sum, z, f) => sum + rocAuc((splits[f] as (typeof splits)[number]).testY, z), 0) / logits.length;

  if (algorithm !== "gradient-boosted-trees") {
    const grid = [...(options.l2Grid ?? [0.1, 0.3, 1, 3, 10, 30, 100, 300])].sort((a, b) => b - a);
    let best: CandidateSummary | null = null;
    // Strongest penalty first, each fold warm-started from its previous solution.
    const starts: (LogisticModel | undefined)[] = splits.map(() => undefined);
    for (const l2 of grid) {
      const logits = splits.map((s, f) => {
        const start = starts[f];
        const fit = fitLogistic(s.trainX, s.trainY, p, start ? { l2, start } : { l2 });
        starts[f] = fit.model;
        return logitMatrix(fit.model, s.testX, p);
      });
      const auc = foldAuc(logits);
      if (!best || auc > best.crossValidatedAuc) {
        best = { algorithm: "logistic-regression", crossValidatedAuc: auc, l2, rounds: null };
        linearLogits = logits;
      }
    }
    if (best) candidates.push(best);
  }

  if (algorithm !== "logistic-regression") {
    const boosting = options.boosting ?? {};
    const maxRounds = boosting.rounds ?? 300;
    const fits = splits.map((s) =>
      fitBoosted(s.trainX, s.trainY, p, {
        patience: 40,
        ...boosting,
        rounds: maxRounds,
        validation: { x: s.testX, y: s.testY },
      }),
    );
    // Folds stop on their own; the round count is chosen over the rounds every fold ran.
    const ran = Math.min(...fits.map((fit) => fit.validationLoss.length));
    let bestRound = 0;
    let bestLoss = Number.POSITIVE_INFINITY;
    for (let r = 0; r < ran; r++) {
      let loss = 0;
      for (const fit of fits) loss += fit.validationLoss[r] as number;
      if (loss < bestLoss - 1e-12) {
        bestLoss = loss;
        bestRound = r + 1;
      }
    }
    treeLogits = fits.map((fit, f) =>
      logitMatrix(
        { ...fit.model, trees: fit.model.trees.slice(0, bestRound) },
        (splits[f] as (typeof splits)[number]).testX,
        p,
      ),
    );
    candidates.push({
      algorithm: "gradient-boosted-trees",
      crossValidatedAuc: foldAuc(treeLogits),
      l2: null,
      rounds: bestRound,
    });
  }

  const linear = candidates.find((c) => c.algorithm === "logistic-regression");
  const trees = candidates.find((c) => c.algorithm === "gradient-boosted-trees");
  if ((algorithm === "auto" || algorithm === "blend") && linear && trees && linearLogits && treeLogits) {
    const lin = linearLogits;
    const blended = treeLogits.map((z, f) =>
      z.map((t, i) => BLEND_WEIGHT * ((lin[f] as Float64Array)[i] as number) + (1 - BLEND_WEIGHT) * t),
    );
    candidates.push({ algorithm: "blend", crossValidatedAuc: foldAuc(blended), l2: linear.l2, rounds: trees.rounds });
  }
  const margin = options.treesMargin ?? 0.003;
  let chosen: CandidateSummary | undefined;
  if (algorithm === "auto" && linear) {
    // Logistic regression unless something else beats it clearly: it explains most plainly.
    chosen = linear;
    for (const c of candidates)
      if (c.crossValidatedAuc > Math.max(chosen.crossValidatedAuc, linear.crossValidatedAuc + margin)) chosen = c;
  } else {
    chosen = candidates.find((c) => c.algorithm === algorithm);
  }
  if (!chosen) throw new Error("no model to train");
  return { candidates, chosen };
}

function metricsOf(y: ArrayLike<number>, probabilities: ArrayLike<number>): HoldoutMetrics {
  let positives = 0;
  for (let i = 0; i < y.length; i++) positives += y[i] as number;
  return {
    rows: y.length,
    positives,
    auc: rocAuc(y, probabilities),
    logLoss: logLoss(y, probabilities),
    accuracy: accuracyAtHalf(y, probabilities),
  };
}

/**
 * Trains a model that predicts `labelField` from every other field of the rows (or
 * `options.fields`). A stratified holdout is set aside first; tuning sees only the rest; the
 * holdout figures describe a model fitted without the holdout. Throws when either outcome has
 * fewer than 5 labelled rows, since nothing could be learnt or measured.
 */
export function trainScoringModel(
  rows: readonly Record<string, unknown>[],
  labelField: string,
  options: TrainOptions = {},
): TrainingResult {
  const seed = options.seed ?? 1;
  const labelled: Record<string, unknown>[] = [];
  const labels: number[] = [];
  for (const row of rows) {
    const label = parseLabel(row[labelField], options.positiveLabels);
    if (label === null) continue;
    labelled.push(row);
    labels.push(label);
  }
  const positives = labels.reduce((a, b) => a + b, 0);
  if (positives < 5 || labelled.length - positives < 5) {
    throw new Error(
      `training needs at least 5 rows of each outcome in "${labelField}" (found ${positives} positive, ${labelled.length - positives} negative)`,
    );
  }
  const encoderOptions: EncoderOptions = {
    numericBands: DEFAULT_NUMERIC_BANDS,
    ...options,
    exclude: [...(options.exclude ?? []), labelField],
  };
  const fraction = options.holdoutFraction ?? 0.2;
  const minorityTest = Math.round(Math.min(positives, labelled.length - positives) * fraction);
  const split = fraction > 0 && minorityTest >= 2 ? stratifiedSplit(labels, fraction, seed) : null;
  const trainIndex = split ? split.train : labels.map((_, i) => i);

  const trainRows = trainIndex.map((i) => labelled[i] as Record<string, unknown>);
  const trainY = Float64Array.from(trainIndex, (i) => labels[i] as number);
  const encoder = fitEncoder(trainRows, encoderOptions);
  const p = featureCount(encoder);
  if (p === 0)
    throw new Error(`no field besides "${labelField}" varies across the rows, so there is nothing to learn from`);
  const trainX = encodeRows(encoder, trainRows);
  const { candidates, chosen } = tune(trainX, trainY, p, options, seed);
  const boosting = options.boosting ?? {};
  const predictor = fitWith(chosen, trainX, trainY, p, boosting);

  let holdout: HoldoutMetrics | null = null;
  if (split) {
    const testRows = split.test.map((i) => labelled[i] as Record<string, unknown>);
    const testY = Float64Array.from(split.test, (i) => labels[i] as number);
    holdout = metricsOf(testY, predictMatrix(predictor, encodeRows(encoder, testRows), p));
  }

  const refit = (options.refitOnAllRows ?? true) && split !== null;
  let model: ScoringModel = {
    version: SCORING_MODEL_VERSION,
    labelField,
    algorithm: chosen.algorithm,
    encoder,
    predictor,
    trainedRows: trainRows.length,
    positiveRate: trainY.reduce((a, b) => a + b, 0) / trainRows.length,
    holdout,
  };
  if (refit) {
    const allEncoder = fitEncoder(labelled, encoderOptions);
    const allX = encodeRows(allEncoder, labelled);
    model = {
      ...model,
      encoder: allEncoder,
      predictor: fitWith(chosen, allX, labels, featureCount(allEncoder), boosting),
      trainedRows: labelled.length,
      positiveRate: positives / labelled.length,
    };
  }
  return {
    model,
    holdout,
    stats: {
      rows: rows.length,
      labelledRows: labelled.length,
      unlabelledRows: rows.length - labelled.length,
      positives,
      fields: model.encoder.fields.length,
      features: featureCount(model.encoder),
      candidates,
      chosen,
      refitOnAllRows: refit,
    },
  };
}

/** Probabilities for many rows at once (bulk rescoring, evaluation). */
export function predictRows(
  model: ScoringModel,
  rows: readonly Record<string, unknown>[],
  referenceTime?: number | string,
): Float64Array {
  const p = featureCount(model.encoder);
  return predictMatrix(model.predictor, encodeRows(model.encoder, rows, referenceTime), p);
}

export interface ScoreResult {
  /** Probability of the positive outcome. */
  probability: number;
  /** The probability as 0-100, rounded. */
  score: number;
}

export interface ScoreOptions {
  /** Dates in the row are measured against this instead of the training reference time. */
  referenceTime?: number | string;
  /** How many fields to list as factors; default 8. */
  maxFactors?: number;
}

export function modelEngine(model: ScoringModel): EngineInfo {
  return builtin(model.algorithm, model.version);
}

function signed(x: number): string {
  return `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(2)}`;
}

function describe(factor: Factor): string {
  return `${factor.name} = ${factor.value === null || factor.value === undefined ? "(none)" : String(factor.value)} (${signed(factor.impact)})`;
}

/**
 * Scores one row: the probability, a 0-100 score, and the fields that moved it, each with its
 * signed share of the log-odds against the average training row, strongest first.
 */
export function scoreWithModel(
  model: ScoringModel,
  row: Record<string, unknown>,
  options: ScoreOptions = {},
): Explained<ScoreResult> {
  const p = featureCount(model.encoder);
  const x = encodeRow(model.encoder, row, options.referenceTime);
  const predictor = model.predictor;
  const logit = predictorLogit(predictor, x);
  let contributions: number[];
  if (predictor.kind === "logistic") contributions = logisticContributions(predictor, x);
  else if (predictor.kind === "boosted-trees") contributions = boostedContributions(predictor, x, p).contributions;
  else {
    const linear = logisticContributions(predictor.logistic, x);
    const trees = boostedContributions(predictor.trees, x, p).contributions;
    contributions = linear.map((c, j) => predictor.weight * c + (1 - predictor.weight) * (trees[j] as number));
  }
  const byField = new Map<string, number>();
  featureInfo(model.encoder).forEach((f, j) =>
    byField.set(f.field, (byField.get(f.field) ?? 0) + (contributions[j] as number)),
  );
  const factors: Factor[] = [...byField.entries()]
    .map(([field, impact]) => ({
      name: field,
      impact: Math.round(impact * 1000) / 1000,
      value: displayValue(model.encoder, row, field),
    }))
    .filter((f) => f.impact !== 0)
    .sort((a, b) => Math.abs(b.impact) - Math.abs(a.impact) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, options.maxFactors ?? 8);
  const probability = sigmoid(logit);
  const score = Math.round(probability * 100);
  const explanation = [
    `Score ${score} of 100 (probability ${probability.toFixed(3)} of ${model.labelField}) from ${describeModel(model)}.`,
    describeFactors(factors),
  ]
    .filter(Boolean)
    .join(" ");
  return { result: { probability, score }, explanation, factors, engine: modelEngine(model) };
}

/** "a logistic regression trained on 5914 rows, holdout AUC 0.981" */
export function describeModel(model: ScoringModel): string {
  const what = {
    "logistic-regression": "a logistic regression",
    "gradient-boosted-trees": "gradient-boosted trees",
    blend: "a logistic regression and gradient-boosted trees together",
  }[model.algorithm];
  const auc = model.holdout ? `, holdout AUC ${model.holdout.auc.toFixed(3)}` : "";
  return `${what} trained on ${model.trainedRows} rows${auc}`;
}

/** "Raising it: a = x (+0.84), …. Lowering it: …." for the three strongest each way; "" when none. */
export function describeFactors(factors: readonly Factor[]): string {
  const up = factors.filter((f) => f.impact > 0).slice(0, 3);
  const down = factors.filter((f) => f.impact < 0).slice(0, 3);
  const parts: string[] = [];
  if (up.length) parts.push(`Raising it: ${up.map(describe).join(", ")}.`);
  if (down.length) parts.push(`Lowering it: ${down.map(describe).join(", ")}.`);
  return parts.join(" ");
}
