/**
 * Churn risk for a customer: the trained scoring model (fitted on customer rows labelled
 * churned or not) gives the probability; fixed cut-offs give the level.
 */
import { builtin, type Explained } from "../engine";
import { describeFactors, describeModel, scoreWithModel, type ScoreOptions, type ScoringModel } from "./model";

export type ChurnLevel = "low" | "medium" | "high" | "critical";

/** Lowest churn probability of each level above low. */
export interface ChurnThresholds {
  medium: number;
  high: number;
  critical: number;
}

export const DEFAULT_CHURN_THRESHOLDS: ChurnThresholds = { medium: 0.25, high: 0.5, critical: 0.75 };

export interface ChurnRisk {
  probability: number;
  /** The probability as 0-100. */
  score: number;
  level: ChurnLevel;
}

export function churnLevel(probability: number, thresholds: ChurnThresholds = DEFAULT_CHURN_THRESHOLDS): ChurnLevel {
  if (probability >= thresholds.critical) return "critical";
  if (probability >= thresholds.high) return "high";
  if (probability >= thresholds.medium) return "medium";
  return "low";
}

/** The churn risk of one customer row, with the fields that raise or lower it (in log-odds). */
export function churnRisk(
  model: ScoringModel,
  customer: Record<string, unknown>,
  options: ScoreOptions & { thresholds?: ChurnThresholds } = {},
): Explained<ChurnRisk> {
  const scored = scoreWithModel(model, customer, options);
  const { probability, score } = scored.result;
  const level = churnLevel(probability, options.thresholds);
  const explanation = [
    `${level[0]?.toUpperCase()}${level.slice(1)} churn risk: probability ${probability.toFixed(3)} from ${describeModel(model)}.`,
    describeFactors(scored.factors),
  ]
    .filter(Boolean)
    .join(" ");
  return {
    result: { probability, score, level },
    explanation,
    factors: scored.factors,
    engine: builtin(`churn/${model.algorithm}`, model.version),
  };
}
