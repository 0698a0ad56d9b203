import { describe, expect, it } from "vitest";
import { builtin } from "../src";

describe("engine info", () => {
  it("names the built-in engine, model and version", () => {
    expect(builtin("logistic-regression", "1")).toEqual({
      engine: "builtin",
      model: "logistic-regression",
      version: "1",
    });
  });
});
