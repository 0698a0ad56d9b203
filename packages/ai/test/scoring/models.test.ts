import { describe, expect, it } from "vitest";
import {
  boostedContributions,
  boostedLogit,
  fitBoosted,
  fitLogistic,
  logisticContributions,
  parseLabel,
  predictRows,
  scoreWithModel,
  seededRandom,
  sigmoid,
  trainScoringModel,
  type ScoringModel,
} from "../../src";

/**
 * 16 rows: x = +1 wins 6 of 8, x = -1 wins 2 of 8. x is already standard (mean 0, sd 1), so by
 * symmetry the intercept is 0 and, with Σ log-loss + (λ/2)w², the slope solves
 * 16·σ(w) - 12 + λ·w = 0: w = ln 3 without a penalty, w = 0.836468 (by bisection) at λ = 1.
 */
const xs = Float64Array.from([1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1, -1]);
const ys = [1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0];
const rows = Array.from(xs, (x, i) => ({ x, won: ys[i] === 1 ? "Yes" : "No" }));

describe("logistic regression (Newton)", () => {
  it("finds the unpenalised maximum-likelihood slope ln 3", () => {
    const fit = fitLogistic(xs, ys, 1, { l2: 0 });
    expect(fit.converged).toBe(true);
    expect(fit.model.coefficients[0]).toBeCloseTo(Math.log(3), 9);
    expect(fit.model.intercept).toBeCloseTo(0, 12);
  });

  it("shrinks the slope with L2 to the root of 16σ(w) - 12 + w", () => {
    const w = fitLogistic(xs, ys, 1, { l2: 1 }).model.coefficients[0] as number;
    expect(w).toBeCloseTo(0.8364677625, 9);
    expect(16 * sigmoid(w) - 12 + w).toBeCloseTo(0, 9);
  });

  it("reaches a stationary point in a few Newton steps on mostly-constant columns", () => {
    // Columns mostly at one value (as standardised one-hots are) exercise the sparse Hessian.
    const random = seededRandom(11);
    const n = 400;
    const p = 5;
    const x = Float64Array.from({ length: n * p }, (_, k) =>
      k % p === 0 ? random() * 4 - 2 : random() < 0.15 ? 1.7 : -0.3 * (k % p),
    );
    const y = Array.from({ length: n }, (_, i) =>
      random() < sigmoid((x[i * p] as number) + 0.8 * (x[i * p + 1] as number)) ? 1 : 0,
    );
    const fit = fitLogistic(x, y, p, { l2: 0.5 });
    expect(fit.converged).toBe(true);
    expect(fit.iterations).toBeLessThanOrEqual(10);
    const { intercept, coefficients } = fit.model;
    const gradient = new Array<number>(p + 1).fill(0);
    for (let i = 0; i < n; i++) {
      let z = intercept;
      for (let j = 0; j < p; j++) z += (coefficients[j] as number) * (x[i * p + j] as number);
      const residual = sigmoid(z) - (y[i] as number);
      for (let j = 0; j < p; j++) gradient[j] = (gradient[j] as number) + residual * (x[i * p + j] as number);
      gradient[p] = (gradient[p] as number) + residual;
    }
    coefficients.forEach((w, j) => (gradient[j] = (gradient[j] as number) + 0.5 * w));
    gradient.forEach((g) => expect(Math.abs(g)).toBeLessThan(1e-6));
  });

  it("explains a row as coefficient × standardised value", () => {
    const model = { kind: "logistic" as const, intercept: 0.5, coefficients: [2, -1], l2: 1 };
    expect(logisticContributions(model, [1.5, 2])).toEqual([3, -2]);
  });
});

describe("boosted trees", () => {
  const x = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
  const y = [0, 0, 0, 0, 1, 1, 1, 1];
  const stump = { rounds: 1, maxDepth: 1, learningRate: 1, lambda: 0, minSamplesLeaf: 1, minChildWeight: 0 };

  it("splits where the gradients separate and sets leaves by a Newton step", () => {
    // Start at log-odds 0: gradients ±½, hessians ¼. Left leaf: -(4·½)/(4·¼) = -2; right +2.
    expect(fitBoosted(x, y, 1, stump).model).toEqual({
      kind: "boosted-trees",
      baseScore: 0,
      learningRate: 1,
      trees: [{ feature: [0, -1, -1], threshold: [4, 0, 0], left: [1, -1, -1], right: [2, -1, -1], value: [0, -2, 2] }],
    });
  });

  it("fits the second tree to what the first left over", () => {
    // After ±2: p = σ(2) on the right; the Newton step is (1 - σ(2)) / (σ(2)(1 - σ(2))) = 1/σ(2).
    const tree = fitBoosted(x, y, 1, { ...stump, rounds: 2 }).model.trees[1];
    expect(tree?.value[2]).toBeCloseTo(1 / sigmoid(2), 12);
    expect(tree?.value[1]).toBeCloseTo(-1 / sigmoid(2), 12);
  });

  it("credits each split's change of value to its column, adding up to the log-odds", () => {
    const model = fitBoosted(x, y, 1, { ...stump, rounds: 2 }).model;
    const { baseline, contributions } = boostedContributions(model, [6], 1);
    expect(baseline).toBeCloseTo(0, 12);
    expect(contributions[0]).toBeCloseTo(2 + 1 / sigmoid(2), 12);
    expect(baseline + (contributions[0] as number)).toBeCloseTo(boostedLogit(model, [6]), 12);
  });

  it("grows a second level from a histogram got by subtraction", () => {
    // 4 rows each of (x0, x1) = (0,0), (0,1), (1,0) with y = 0 and (1,1) with y = 1. Start at
    // log-odds of ¼: gradients ¼ (y = 0) and -¾ (y = 1), hessians 3/16. The root splits on x0
    // (x1 ties and comes second); x0 = 0 is pure (no gain), x0 = 1 splits on x1. The x0 = 1 side
    // holds 8 rows like its sibling, so its histogram is the root's minus the sibling's.
    const pattern = [
      [0, 0, 0],
      [0, 1, 0],
      [1, 0, 0],
      [1, 1, 1],
    ];
    const data = pattern.flatMap((r) => [r, r, r, r]);
    const grid = Float64Array.from(data.flatMap(([a, b]) => [a as number, b as number]));
    const tree = fitBoosted(
      grid,
      data.map((r) => r[2] as number),
      2,
      { ...stump, maxDepth: 2 },
    ).model.trees[0];
    expect(tree?.feature).toEqual([0, -1, 1, -1, -1]);
    expect(tree?.threshold).toEqual([0, 0, 0, 0, 0]);
    expect(tree?.left).toEqual([1, -1, 3, -1, -1]);
    expect(tree?.right).toEqual([2, -1, 4, -1, -1]);
    // Leaves: -G/H = -(8·¼)/(8·3/16) = -4/3; x0 = 1: 2/1.5 = 4/3; then -1/0.75 and 3/0.75.
    [0, -4 / 3, 4 / 3, -4 / 3, 4].forEach((v, k) => expect(tree?.value[k]).toBeCloseTo(v, 12));
  });

  it("grows the same depth-3 tree as a plain search over every split, row by row", () => {
    // Reference: recompute every node's gradient sums from its rows and try every threshold.
    const random = seededRandom(5);
    const n = 300;
    const p = 4;
    const grid = Float64Array.from({ length: n * p }, () => Math.floor(random() * 5));
    const labels = Array.from({ length: n }, (_, i): number => {
      const v = (grid[i * p] as number) + 2 * (grid[i * p + 2] as number) * ((grid[i * p + 3] as number) > 2 ? 1 : 0);
      return random() < v / 12 ? 1 : 0;
    });
    const options = { rounds: 1, maxDepth: 3, learningRate: 1, lambda: 1, minSamplesLeaf: 5, minChildWeight: 0.5 };
    const tree = fitBoosted(grid, labels, p, options).model.trees[0];

    const rate = labels.reduce((a, b) => a + b, 0) / n;
    const grad = labels.map((y) => rate - y);
    const hess = labels.map(() => rate * (1 - rate));
    const expected = {
      feature: [] as number[],
      threshold: [] as number[],
      left: [] as number[],
      right: [] as number[],
      value: [] as number[],
    };
    const sum = (rows: number[], of: number[]) => rows.reduce((a, i) => a + (of[i] as number), 0);
    const grow = (rows: number[], depth: number): number => {
      const g = sum(rows, grad);
      const h = sum(rows, hess);
      const node = expected.feature.length;
      expected.feature.push(-1);
      expected.threshold.push(0);
      expected.left.push(-1);
      expected.right.push(-1);
      expected.value.push(-g / (h + 1));
      if (depth >= 3 || rows.length < 10) return node;
      let best = { gain: 1e-9, feature: -1, threshold: 0 };
      for (let j = 0; j < p; j++) {
        for (const t of [0, 1, 2, 3]) {
          const left = rows.filter((i) => (grid[i * p + j] as number) <= t);
          const right = rows.filter((i) => (grid[i * p + j] as number) > t);
          const [gl, hl, gr, hr] = [sum(left, grad), sum(left, hess), sum(right, grad), sum(right, hess)];
          if (left.length < 5 || right.length < 5 || hl < 0.5 || hr < 0.5) continue;
          const gain = (gl * gl) / (hl + 1) + (gr * gr) / (hr + 1) - (g * g) / (h + 1);
          if (gain > best.gain + 1e-9) best = { gain, feature: j, threshold: t };
        }
      }
      if (best.feature < 0) return node;
      expected.feature[node] = best.feature;
      expected.threshold[node] = best.threshold;
      expected.left[node] = grow(
        rows.filter((i) => (grid[i * p + best.feature] as number) <= best.threshold),
        depth + 1,
      );
      expected.right[node] = grow(
        rows.filter((i) => (grid[i * p + best.feature] as number) > best.threshold),
        depth + 1,
      );
      return node;
    };
    grow(
      Array.from({ length: n }, (_, i) => i),
      0,
    );

    expect(expected.feature.filter((f) => f >= 0).length).toBeGreaterThanOrEqual(5); // a real tree, not a stump
    expect(tree?.feature).toEqual(expected.feature);
    expect(tree?.threshold).toEqual(expected.threshold);
    expect(tree?.left).toEqual(expected.left);
    expect(tree?.right).toEqual(expected.right);
    expected.value.forEach((v, k) => expect(tree?.value[k]).toBeCloseTo(v, 9));
  });

  it("stops when validation loss has not improved for `patience` rounds", () => {
    const fit = fitBoosted(x, y, 1, {
      ...stump,
      rounds: 50,
      patience: 3,
      validation: { x: Float64Array.from([4, 5]), y: [1, 0] },
    });
    // Validation rows labelled against the pattern: the first round is already the best.
    expect(fit.validationLoss).toHaveLength(4);
    expect(fit.model.trees).toHaveLength(4);
  });
});

describe("labels", () => {
  it("reads common spellings of yes and no, and a caller's positive values", () => {
    expect(["Yes", "1", 1, true, "won", " Converted "].map((v) => parseLabel(v))).toEqual([1, 1, 1, 1, 1, 1]);
    expect(["no", "0", 0, false, "Lost"].map((v) => parseLabel(v))).toEqual([0, 0, 0, 0, 0]);
    expect([null, undefined, "", "maybe"].map((v) => parseLabel(v))).toEqual([null, null, null, null]);
    expect(["Closed Won", "Closed Lost", "Open"].map((v) => parseLabel(v, ["closed won"]))).toEqual([1, 0, 0]);
  });
});

describe("trainScoringModel and scoreWithModel", () => {
  const options = {
    algorithm: "logistic-regression" as const,
    holdoutFraction: 0,
    l2Grid: [1],
    folds: 2,
    numericBands: 0,
  };

  it("learns the slope above from generic rows and reports what it saw", () => {
    const trained = trainScoringModel([...rows, { x: 3, won: "" }], "won", options);
    expect(trained.model.algorithm).toBe("logistic-regression");
    expect(trained.model.predictor.kind === "logistic" && trained.model.predictor.coefficients[0]).toBeCloseTo(
      0.8364677625,
      9,
    );
    expect(trained.stats).toMatchObject({
      rows: 17,
      labelledRows: 16,
      unlabelledRows: 1,
      positives: 8,
      fields: 1,
      features: 1,
      refitOnAllRows: false,
    });
    expect(trained.holdout).toBeNull();
  });

  it("scores a row with its probability, 0-100 score and the field that moved it", () => {
    const { model } = trainScoringModel(rows, "won", options);
    const scored = scoreWithModel(model, { x: 1 });
    const p = sigmoid(0.8364677625);
    expect(scored.result.probability).toBeCloseTo(p, 9);
    expect(scored.result.score).toBe(70);
    expect(scored.factors).toEqual([{ name: "x", impact: 0.836, value: 1 }]);
    expect(scored.engine).toEqual({ engine: "builtin", model: "logistic-regression", version: "1" });
    expect(scored.explanation).toBe(
      "Score 70 of 100 (probability 0.698 of won) from a logistic regression trained on 16 rows. Raising it: x = 1 (+0.84).",
    );
    expect(scoreWithModel(model, { x: -1 }).explanation).toBe(
      "Score 30 of 100 (probability 0.302 of won) from a logistic regression trained on 16 rows. Lowering it: x = -1 (−0.84).",
    );
  });

  it("groups one-hot columns back to their field, strongest first", () => {
    const data = Array.from({ length: 40 }, (_, i) => ({
      plan: ["Pro", "Basic", "Free", "Pro"][i % 4],
      seats: i % 5,
      won: i % 4 === 0 || i % 10 === 1 ? "yes" : "no",
    }));
    const { model } = trainScoringModel(data, "won", { ...options, minCategoryCount: 5 });
    const scored = scoreWithModel(model, { plan: "Pro", seats: 4 });
    expect(scored.factors.map((f) => f.name).sort()).toEqual(["plan", "seats"]);
    const [first, second] = scored.factors;
    expect(Math.abs(first?.impact ?? 0)).toBeGreaterThanOrEqual(Math.abs(second?.impact ?? 0));
    // The factors and the intercept add up to the log-odds.
    const logit = Math.log(scored.result.probability / (1 - scored.result.probability));
    const intercept = model.predictor.kind === "logistic" ? model.predictor.intercept : 0;
    expect(intercept + (first?.impact ?? 0) + (second?.impact ?? 0)).toBeCloseTo(logit, 2);
  });

  it("keeps a holdout, measures it, then refits on every row", () => {
    const many = Array.from({ length: 5 }, () => rows).flat();
    const trained = trainScoringModel(many, "won", { ...options, holdoutFraction: 0.25 });
    // 40 positives and 40 negatives: 10 of each held out; x = +1 ranks 30 of 40 pairs ahead.
    expect(trained.holdout?.rows).toBe(20);
    expect(trained.holdout?.positives).toBe(10);
    expect(trained.stats.refitOnAllRows).toBe(true);
    expect(trained.model.trainedRows).toBe(80);
  });

  it("stores as JSON and scores the same after", () => {
    const { model } = trainScoringModel(rows, "won", {
      ...options,
      algorithm: "auto",
      boosting: { minSamplesLeaf: 2 },
    });
    const restored = JSON.parse(JSON.stringify(model)) as ScoringModel;
    expect(Array.from(predictRows(restored, rows))).toEqual(Array.from(predictRows(model, rows)));
  });

  it("refuses rows with nothing that varies", () => {
    expect(() =>
      trainScoringModel(
        rows.map(({ won }) => ({ won, plan: "Pro" })),
        "won",
        options,
      ),
    ).toThrow('no field besides "won" varies across the rows, so there is nothing to learn from');
  });

  it("refuses to train without five rows of each outcome", () => {
    expect(() => trainScoringModel(rows.slice(0, 10), "won", options)).toThrow(
      'training needs at least 5 rows of each outcome in "won" (found 8 positive, 2 negative)',
    );
  });
});
