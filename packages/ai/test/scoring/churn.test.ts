import { describe, expect, it } from "vitest";
import { churnLevel, churnRisk, sigmoid, trainScoringModel } from "../../src";

describe("churn risk", () => {
  it("cuts levels at 0.25, 0.5 and 0.75 unless the tenant sets its own", () => {
    expect([0.24, 0.25, 0.49, 0.5, 0.74, 0.75, 1].map((p) => churnLevel(p))).toEqual([
      "low",
      "medium",
      "medium",
      "high",
      "high",
      "critical",
      "critical",
    ]);
    expect(churnLevel(0.3, { medium: 0.1, high: 0.2, critical: 0.3 })).toBe("critical");
  });

  it("reuses the trained model over customer rows, with its factors", () => {
    // Month-to-month customers churn 6 of 8, yearly 2 of 8: the same slope as the model tests.
    const customers = Array.from({ length: 16 }, (_, i) => ({
      monthly: i < 8 ? 1 : -1,
      churned: (i < 8 ? i < 6 : i < 10) ? "Yes" : "No",
    }));
    const { model } = trainScoringModel(customers, "churned", {
      algorithm: "logistic-regression",
      holdoutFraction: 0,
      l2Grid: [1],
      folds: 2,
      numericBands: 0,
    });
    const risk = churnRisk(model, { monthly: 1 });
    expect(risk.result.probability).toBeCloseTo(sigmoid(0.8364677625), 9);
    expect(risk.result).toMatchObject({ score: 70, level: "high" });
    expect(risk.factors).toEqual([{ name: "monthly", impact: 0.836, value: 1 }]);
    expect(risk.engine).toEqual({ engine: "builtin", model: "churn/logistic-regression", version: "1" });
    expect(risk.explanation).toBe(
      "High churn risk: probability 0.698 from a logistic regression trained on 16 rows. Raising it: monthly = 1 (+0.84).",
    );
    expect(churnRisk(model, { monthly: -1 }).explanation).toBe(
      "Medium churn risk: probability 0.302 from a logistic regression trained on 16 rows. Lowering it: monthly = -1 (−0.84).",
    );
  });
});
