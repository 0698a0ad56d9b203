/**
 * What every AI output carries so a person can read and trust it: which engine and model made
 * it, which version of that model, and why it came out as it did.
 */
export type EngineName = "builtin" | "workers-ai";

export interface EngineInfo {
  engine: EngineName;
  /** The model within the engine, e.g. "logistic-regression", "holt-winters", "@cf/meta/llama-3.1-8b-instruct". */
  model: string;
  /** Bumped whenever the model's logic changes, so stored outputs say which logic made them. */
  version: string;
}

/** One input's share in a result: a feature's contribution to a score, a phrase behind a sentiment. */
export interface Factor {
  /** What the factor is about, e.g. "email opens (30 days)" or "contract = Month-to-month". */
  name: string;
  /** Signed weight in the result's own units (score points, log-odds, ...): positive pushes up. */
  impact: number;
  /** The value seen, as a person would read it. */
  value?: string | number | boolean | null;
}

/** A result with its provenance and explanation. */
export interface Explained<T> {
  result: T;
  /** One or two plain sentences: why this result. */
  explanation: string;
  /** The strongest factors first. */
  factors: Factor[];
  engine: EngineInfo;
}

export function builtin(model: string, version: string): EngineInfo {
  return { engine: "builtin", model, version };
}
