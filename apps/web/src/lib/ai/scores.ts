// API shapes and labels for the AI overview and the per-contact score breakdown.

import { formatDateTime } from "$lib/settings/format";

export type ScoreKind = "lead_score" | "churn";

export const leadLevels = ["hot", "warm", "cold", "nurture", "inactive"] as const;
export const churnLevels = ["low", "medium", "high", "critical"] as const;

export interface Engine {
  engine: string;
  model: string;
  version: string;
}

export interface Factor {
  name: string;
  impact: number;
  value?: string | number | boolean | null;
}

/** GET /api/v1/ai/scores/distribution */
export interface ScoreDistribution {
  kind: ScoreKind;
  /** Whose scores: contacts, or leads (lead scores only). */
  recordType: "contact" | "lead";
  total: number;
  averageScore: number | null;
  overridden: number;
  levels: { level: string; count: number }[];
  bins: { from: number; to: number; count: number; levels: Record<string, number> }[];
  top: {
    recordType: "contact" | "lead";
    recordId: string;
    /** The record's id when it is a contact. */
    contactId: string | null;
    name: string;
    email: string | null;
    lifecycleStage: string | null;
    score: number;
    level: string;
    overridden: boolean;
    scoredAt: string;
  }[];
}

/** GET /api/v1/ai/models (one model) */
export interface AiModel {
  id: string;
  kind: ScoreKind;
  label: { source: "field"; field: string; positiveValues: string[] } | { source: "deals" };
  fields: string[];
  fieldsUsed: string[];
  engine: Engine;
  algorithm: string;
  metrics: {
    holdoutAuc: number | null;
    rowsRead: number;
    labelledRows: number;
    positiveRows: number;
    trainedRows: number;
  };
  status: "active" | "retired";
  trigger: "api" | "cron";
  trainedAt: string;
}

export type RescoreTrigger = "person" | "retrain" | "schedule";

/** Who or what started a rescoring: the status line says it, whoever is looking. */
export const rescoreTriggerLabels: Record<RescoreTrigger, string> = {
  person: "started by hand",
  retrain: "after a new model was trained",
  schedule: "hourly, changed records only",
};

/** GET/POST /api/v1/ai/rescore */
export interface RescoreJob {
  id: string;
  kind: ScoreKind;
  objectTypes: ("contact" | "lead")[];
  objectType: "contact" | "lead";
  mode: "all" | "stale";
  trigger: RescoreTrigger;
  startedBy: { type: string; id: string };
  status: "queued" | "running" | "completed" | "failed";
  total: number;
  scored: number;
  progress: number;
  failureReason: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface RuleComponent {
  name: string;
  score: number | null;
  share: number;
  detail: string;
}

export interface ModelPart {
  modelId?: string;
  score: number;
  probability: number;
  explanation?: string;
  factors?: Factor[];
  engine?: Engine;
}

/** GET /api/v1/contacts/{id}/score, /leads/{id}/score and churn-risk */
export interface Score {
  recordType: "contact" | "lead";
  recordId: string;
  kind: ScoreKind;
  score: number;
  computedScore: number;
  probability: number | null;
  level: string;
  ruleScore: number | null;
  modelScore: number | null;
  qualification: string | null;
  components: { rules?: RuleComponent[]; model?: ModelPart | null } | null;
  explanation: string;
  factors: Factor[];
  engine: Engine;
  modelId: string | null;
  scoredAt: string;
  override: { score: number; reason: string | null; by: string | null; at: string | null } | null;
}

export interface ScoreBreakdown extends Score {
  history: {
    change: "scored" | "override" | "override_cleared";
    score: number;
    level: string;
    reason: string | null;
    actorId: string;
    engine: Engine;
    recordedAt: string;
  }[];
}

export const levelTones: Record<string, "success" | "accent" | "neutral" | "warning" | "danger"> = {
  hot: "success",
  warm: "accent",
  cold: "neutral",
  nurture: "warning",
  inactive: "neutral",
  low: "success",
  medium: "accent",
  high: "warning",
  critical: "danger",
};

/** Level colours in charts: palette variables only, so dark mode follows. */
export const levelColours: Record<string, string> = {
  hot: "var(--color-success)",
  warm: "var(--color-warning)",
  cold: "var(--color-focus)",
  nurture: "var(--color-accent)",
  inactive: "var(--color-muted)",
  low: "var(--color-success)",
  medium: "var(--color-focus)",
  high: "var(--color-warning)",
  critical: "var(--color-danger)",
};

export const kindLabels: Record<ScoreKind, string> = { lead_score: "Lead score", churn: "Churn" };

/** What "Rescore all" rescores for each kind (POST /api/v1/ai/rescore `kind`). */
export const rescoreChoices: Record<ScoreKind, string> = {
  lead_score: "Lead scores: contacts and leads",
  churn: "Churn risk: customers",
};
export const rescoreScopes: Record<ScoreKind, string> = {
  lead_score: "lead scores of contacts and leads",
  churn: "churn risk of customers",
};

export function describeLabel(label: AiModel["label"]): string {
  return label.source === "deals"
    ? "won deals"
    : `${label.field} is ${label.positiveValues.map((v) => `“${v}”`).join(" or ")}`;
}

/** What a person reads for each rule component of a lead score. */
export const ruleComponentLabels: Record<string, string> = {
  engagement: "Engagement",
  recency: "Recency",
  responseRate: "Response rate",
  completeness: "Profile completeness",
  fit: "ICP fit",
};

export function engineText(engine: Engine): string {
  return `${engine.engine === "builtin" ? "Built-in engine" : "Workers AI"} · ${engine.model} v${engine.version}`;
}

/**
 * The engine and when the score was stored; a read never stores a score, so one with no history
 * was computed for this view only.
 */
export function scoreProvenance(score: ScoreBreakdown): string {
  const when =
    score.history.length > 0
      ? `scored ${formatDateTime(score.scoredAt)}`
      : "computed for this view, not stored yet (the hourly rescoring stores it)";
  return `${engineText(score.engine)} · ${when}`;
}

export function signed(value: number): string {
  return `${value > 0 ? "+" : ""}${value}`;
}
