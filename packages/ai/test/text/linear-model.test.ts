import { describe, expect, it } from "vitest";
import { featureContributions, linearLogits, softmax, trainLinearModel } from "../../src/text/linear-model";

const f = (...names: string[]) => new Map(names.map((n) => [n, 1]));

describe("trainLinearModel", () => {
  const examples = [
    { features: f("w:great"), label: "pos" },
    { features: f("w:great", "w:fast"), label: "pos" },
    { features: f("w:awful"), label: "neg" },
    { features: f("w:awful", "w:slow"), label: "neg" },
    { features: f("w:rare"), label: "neg" },
  ];
  const options = { l2: 0.01, iterations: 200, learningRate: 0.1, minCount: 2 };

  it("learns each word's direction and leaves out words seen fewer than minCount times", () => {
    const model = trainLinearModel(examples, ["neg", "pos"], options);
    expect(model.classes).toEqual(["neg", "pos"]);
    expect(Object.keys(model.weights).sort()).toEqual(["w:awful", "w:great"]);
    expect(model.weights["w:great"]![1]).toBeGreaterThan(model.weights["w:great"]![0]!);
    expect(model.weights["w:awful"]![0]).toBeGreaterThan(model.weights["w:awful"]![1]!);
    expect(softmax(linearLogits(model, f("w:great")))[1]).toBeGreaterThan(0.9);
  });

  it("is deterministic and rejects an unknown label", () => {
    expect(trainLinearModel(examples, ["neg", "pos"], options)).toEqual(
      trainLinearModel(examples, ["neg", "pos"], options),
    );
    expect(() => trainLinearModel([{ features: f("w:x"), label: "maybe" }], ["neg", "pos"], options)).toThrow(
      'label "maybe" is not one of neg, pos',
    );
  });

  it("splits a prediction into feature contributions that add up to the log-odds", () => {
    const model = { classes: ["neg", "pos"], bias: [0.5, -0.5], weights: { "w:a": [-1, 1], "w:b": [0.25, -0.25] } };
    const logits = linearLogits(model, f("w:a", "w:b", "w:unseen"));
    expect(logits).toEqual([-0.25, 0.25]);
    expect(featureContributions(model, f("w:a", "w:b"), 1)).toEqual([
      { feature: "w:a", value: 1, impact: 2 },
      { feature: "w:b", value: 1, impact: -0.5 },
    ]);
  });
});
