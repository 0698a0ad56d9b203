import { describe, expect, it } from "vitest";
import { accuracyAtHalf, logLoss, rocAuc, seededRandom, shuffled, stratifiedFolds, stratifiedSplit } from "../../src";

describe("ROC AUC", () => {
  it("counts a tie between a positive and a negative as one half", () => {
    // Pairs (pos, neg): (0.9, 0.9) tie ½, (0.9, 0.1) 1, (0.4, 0.9) 0, (0.4, 0.1) 1 → 2.5 / 4.
    expect(rocAuc([1, 0, 1, 0], [0.9, 0.9, 0.4, 0.1])).toBe(0.625);
  });

  it("is 1 for a perfect ranking, 0 for a reversed one, ½ when every score ties", () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4])).toBe(1);
    expect(rocAuc([1, 1, 0, 0], [0.1, 0.2, 0.3, 0.4])).toBe(0);
    expect(rocAuc([1, 0, 1, 0], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
  });

  it("is NaN when one class is absent, and refuses arrays of different lengths", () => {
    expect(rocAuc([1, 1], [0.2, 0.8])).toBeNaN();
    expect(() => rocAuc([1, 0], [0.5])).toThrow("labels and scores differ in length");
  });
});

describe("log loss and accuracy", () => {
  it("averages the negative log-likelihood", () => {
    // -(ln 0.8 + ln 0.6) / 2
    expect(logLoss([1, 0], [0.8, 0.4])).toBeCloseTo(0.3669845875, 9);
  });

  it("clips certain-but-wrong probabilities at 1e-15", () => {
    expect(logLoss([1], [0])).toBeCloseTo(34.538776395, 6);
  });

  it("counts 0.5 as a positive prediction", () => {
    expect(accuracyAtHalf([1, 0, 1, 0], [0.5, 0.49, 0.2, 0.7])).toBe(0.5);
  });
});

describe("seeded splits", () => {
  const labels = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

  it("draws the same numbers for the same seed (mulberry32)", () => {
    const random = seededRandom(1);
    expect([random(), random(), random()]).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
    expect(shuffled([1, 2, 3, 4], seededRandom(3))).toEqual(shuffled([1, 2, 3, 4], seededRandom(3)));
  });

  it("holds out a fifth of each class", () => {
    const split = stratifiedSplit(labels, 0.2, 7);
    expect(split).toEqual({ train: [0, 1, 3, 4, 5, 6, 7, 8, 9, 12, 13, 14], test: [2, 10, 11] });
    expect(split.test.filter((i) => labels[i] === 1)).toHaveLength(1);
    expect(split.test.filter((i) => labels[i] === 0)).toHaveLength(2);
    expect(stratifiedSplit(labels, 0.2, 8).test).not.toEqual(split.test);
    expect(() => stratifiedSplit(labels, 1, 7)).toThrow("testFraction must be between 0 and 1");
  });

  it("deals k folds that cover every row once with the classes balanced", () => {
    const folds = stratifiedFolds(labels, 3, 7);
    expect(folds).toEqual([
      [0, 5, 6, 9, 11],
      [1, 2, 7, 10, 12],
      [3, 4, 8, 13, 14],
    ]);
    expect(folds.map((f) => f.filter((i) => labels[i] === 1).length)).toEqual([1, 2, 2]);
    expect(folds.flat().sort((a, b) => a - b)).toEqual(labels.map((_, i) => i));
    expect(() => stratifiedFolds(labels, 1, 7)).toThrow("k must be an integer of at least 2");
  });
});
