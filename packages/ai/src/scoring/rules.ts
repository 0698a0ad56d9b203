/**
 * The rule side of the lead score (plain inputs, no I/O): engagement, recency, response rate,
 * profile completeness and fit against the tenant's ICP rules, each 0-100; their weighted mean
 * is the rule score, blended with the model's score by per-tenant weights. Then the level
 * (hot/warm/cold/nurture/inactive) and the auto-qualification decision.
 */
import { builtin, type Explained, type Factor } from "../engine";
import { parseIsoTime } from "./encoding";

export const LEAD_RULES_VERSION = "1";

export type ComponentName = "engagement" | "recency" | "responseRate" | "completeness" | "fit";
export type LeadLevel = "hot" | "warm" | "cold" | "nurture" | "inactive";
export type IcpOperator =
  "equals" | "not_equals" | "in" | "not_in" | "contains" | "gt" | "gte" | "lt" | "lte" | "exists" | "not_exists";

export interface IcpRule {
  field: string;
  operator: IcpOperator;
  value?: string | number | boolean | (string | number)[];
  /** Points when the rule matches; negative for traits that count against fit. */
  points: number;
}

/** Counts over the scoring window (the caller decides the window, e.g. 90 days). */
export interface EmailCounts {
  sent?: number;
  bounced?: number;
  opened?: number;
  clicked?: number;
  replied?: number;
}

export interface LeadSignals {
  email?: EmailCounts;
  /** Activity counts by type, e.g. { call: 2, meeting: 1 }. */
  activities?: Record<string, number>;
  /** The latest email open, click or reply, or activity. */
  lastEngagedAt?: string | Date | null;
  /** The lead's fields (custom ones included), for completeness and ICP fit. */
  profile?: Record<string, unknown>;
}

export interface LeadScoringConfig {
  /** Relative weight of each component; a component with nothing to judge gives its weight to the others. */
  weights: Record<ComponentName, number>;
  /** Points per email event and per activity type; engagement is 100 at `engagementFullAt` points. */
  emailPoints: { opened: number; clicked: number; replied: number };
  activityPoints: Record<string, number>;
  engagementFullAt: number;
  /** Recency halves every this many days since the last engagement. */
  recencyHalfLifeDays: number;
  /** A reply rate (replies per delivered email) at or above this scores 100. */
  responseRateFullAt: number;
  /** Fields whose presence makes a complete profile, with their weights. */
  completenessFields: Record<string, number>;
  icpRules: IcpRule[];
  /** Share of the final score from the rules and from the model (used when a model score exists). */
  blend: { rules: number; model: number };
  /** Levels by final score; below `cold` is nurture. */
  levels: { hot: number; warm: number; cold: number };
  /** No engagement for this many days (or never) makes the lead inactive, whatever its score. */
  inactiveAfterDays: number;
  qualification: QualificationThresholds;
  /** Strings that count as not filled in, besides the empty string. */
  missingTokens: string[];
}

export interface QualificationThresholds {
  /** At or above: qualified. */
  qualify: number;
  /** At or above: moved to the MQL stage. */
  moveToMql: number;
  /** Below: disqualified. */
  disqualify: number;
}

export const DEFAULT_LEAD_SCORING: LeadScoringConfig = {
  weights: { engagement: 30, recency: 20, responseRate: 15, completeness: 10, fit: 25 },
  emailPoints: { opened: 1, clicked: 3, replied: 10 },
  activityPoints: { call: 5, meeting: 10, form: 8, note: 1, task: 1 },
  engagementFullAt: 40,
  recencyHalfLifeDays: 14,
  responseRateFullAt: 0.25,
  completenessFields: { email: 2, phone: 1, firstName: 1, lastName: 1, company: 1, jobTitle: 1 },
  icpRules: [],
  blend: { rules: 0.5, model: 0.5 },
  levels: { hot: 80, warm: 60, cold: 40 },
  inactiveAfterDays: 90,
  qualification: { qualify: 70, moveToMql: 75, disqualify: 40 },
  missingTokens: [],
};

export interface ComponentScore {
  name: ComponentName;
  /** 0-100, or null when there was nothing to judge (its weight then goes to the others). */
  score: number | null;
  /** Its share of the rule score after redistribution (0-1). */
  share: number;
  /** Why, in a few words. */
  detail: string;
}

export type QualificationStatus = "qualified" | "disqualified" | "undecided";

export interface QualificationDecision {
  status: QualificationStatus;
  /** The lifecycle stage to move to, or null to leave it. */
  moveToStage: "mql" | null;
}

export interface LeadScore {
  /** 0-100 after blending and any override. */
  score: number;
  level: LeadLevel;
  ruleScore: number;
  modelScore: number | null;
  components: ComponentScore[];
  qualification: QualificationDecision;
  override: { score: number; reason: string } | null;
}

export interface ScoreLeadOptions {
  now: string | Date | number;
  /** The model's 0-100 score for this lead, when the tenant has a trained model. */
  modelScore?: number | null;
  /** A person's score, which wins, with their reason. */
  override?: { score: number; reason: string } | null;
  /** The lead's current lifecycle stage, so a lead is never moved back to MQL. */
  currentStage?: string | null;
}

const DAY_MS = 86_400_000;
/** Stages at or past MQL: auto-qualification never moves these. */
const PAST_MQL = new Set(["mql", "sql", "opportunity", "customer", "evangelist", "lost"]);

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function clamp(x: number, lo = 0, hi = 100): number {
  return Math.min(hi, Math.max(lo, x));
}

function toTime(value: string | Date | number): number {
  const t = value instanceof Date ? value.getTime() : typeof value === "number" ? value : parseIsoTime(value);
  if (t === null || Number.isNaN(t)) throw new Error(`not a date: ${String(value)}`);
  return t;
}

function isBlank(value: unknown, missing: ReadonlySet<string>): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === "string") return missing.has(value.trim().toLowerCase());
  if (typeof value === "number") return !Number.isFinite(value);
  if (Array.isArray(value)) return value.length === 0;
  return false;
}

function sameText(a: unknown, b: unknown): boolean {
  return String(a).trim().toLowerCase() === String(b).trim().toLowerCase();
}

/** Whether one ICP rule holds for a profile. Comparisons of text ignore case; gt/lt need numbers (or ISO dates). */
export function icpRuleMatches(
  rule: IcpRule,
  profile: Record<string, unknown>,
  missingTokens: readonly string[] = [],
): boolean {
  const missing = new Set(["", ...missingTokens.map((t) => t.trim().toLowerCase())]);
  const actual = profile[rule.field];
  const blank = isBlank(actual, missing);
  const list = Array.isArray(rule.value) ? rule.value : [rule.value];
  switch (rule.operator) {
    case "exists":
      return !blank;
    case "not_exists":
      return blank;
    case "equals":
      return !blank && sameText(actual, rule.value);
    case "not_equals":
      return blank || !sameText(actual, rule.value);
    case "in":
      return !blank && list.some((v) => sameText(actual, v));
    case "not_in":
      return blank || !list.some((v) => sameText(actual, v));
    case "contains":
      return !blank && String(actual).toLowerCase().includes(String(rule.value).toLowerCase());
    default: {
      if (blank) return false;
      const a = Number(actual);
      const b = Number(rule.value);
      if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
      if (rule.operator === "gt") return a > b;
      if (rule.operator === "gte") return a >= b;
      if (rule.operator === "lt") return a < b;
      return a <= b;
    }
  }
}

export function leadLevel(
  score: number,
  inactive: boolean,
  levels: LeadScoringConfig["levels"] = DEFAULT_LEAD_SCORING.levels,
): LeadLevel {
  if (inactive) return "inactive";
  if (score >= levels.hot) return "hot";
  if (score >= levels.warm) return "warm";
  if (score >= levels.cold) return "cold";
  return "nurture";
}

/** The auto-qualification decision for a score; the MQL move only for leads not yet at or past MQL. */
export function qualificationDecision(
  score: number,
  thresholds: QualificationThresholds = DEFAULT_LEAD_SCORING.qualification,
  currentStage: string | null = null,
): QualificationDecision {
  const status: QualificationStatus =
    score >= thresholds.qualify ? "qualified" : score < thresholds.disqualify ? "disqualified" : "undecided";
  const canMove = currentStage === null || !PAST_MQL.has(currentStage.toLowerCase());
  return { status, moveToStage: score >= thresholds.moveToMql && canMove ? "mql" : null };
}

interface Judged {
  name: ComponentName;
  score: number | null;
  detail: string;
}

function judgeEngagement(signals: LeadSignals, config: LeadScoringConfig): Judged {
  const email = signals.email ?? {};
  const parts: [string, number, number][] = [
    ["opens", email.opened ?? 0, config.emailPoints.opened],
    ["clicks", email.clicked ?? 0, config.emailPoints.clicked],
    ["replies", email.replied ?? 0, config.emailPoints.replied],
    ...Object.entries(signals.activities ?? {})
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([type, count]): [string, number, number] => [type, count, config.activityPoints[type] ?? 0]),
  ];
  const points = parts.reduce((sum, [, count, each]) => sum + count * each, 0);
  const score = clamp((100 * points) / config.engagementFullAt);
  const seen = parts.filter(([, count]) => count > 0).map(([name, count]) => `${name} ×${count}`);
  return {
    name: "engagement",
    score,
    detail: `${points} points${seen.length ? ` from ${seen.join(", ")}` : ""}, ${config.engagementFullAt} for 100`,
  };
}

function judgeRecency(signals: LeadSignals, config: LeadScoringConfig, now: number): Judged & { days: number | null } {
  if (!signals.lastEngagedAt) return { name: "recency", score: 0, days: null, detail: "never engaged" };
  const days = Math.max(0, (now - toTime(signals.lastEngagedAt)) / DAY_MS);
  const score = 100 * 0.5 ** (days / config.recencyHalfLifeDays);
  return {
    name: "recency",
    score,
    days,
    detail: `last engaged ${round1(days)} days ago, halving every ${config.recencyHalfLifeDays}`,
  };
}

function judgeResponseRate(signals: LeadSignals, config: LeadScoringConfig): Judged {
  const email = signals.email ?? {};
  const delivered = Math.max(0, (email.sent ?? 0) - (email.bounced ?? 0));
  if (delivered === 0) return { name: "responseRate", score: null, detail: "no delivered emails yet" };
  const replies = Math.min(email.replied ?? 0, delivered);
  const rate = replies / delivered;
  return {
    name: "responseRate",
    score: clamp((100 * rate) / config.responseRateFullAt),
    detail: `${replies} of ${delivered} delivered emails answered, ${round1(rate * 100)}%`,
  };
}

function judgeCompleteness(
  profile: Record<string, unknown>,
  config: LeadScoringConfig,
  missing: ReadonlySet<string>,
): Judged {
  const fields = Object.entries(config.completenessFields);
  const total = fields.reduce((sum, [, w]) => sum + w, 0);
  if (fields.length === 0 || total <= 0)
    return { name: "completeness", score: null, detail: "no profile fields configured" };
  const absent = fields.filter(([field]) => isBlank(profile[field], missing)).map(([field]) => field);
  const filled = fields.filter(([field]) => !absent.includes(field)).reduce((sum, [, w]) => sum + w, 0);
  return {
    name: "completeness",
    score: (100 * filled) / total,
    detail: absent.length ? `missing ${absent.join(", ")}` : "every profile field filled",
  };
}

function judgeFit(profile: Record<string, unknown>, config: LeadScoringConfig): Judged {
  const rules = config.icpRules;
  const possible = rules.reduce((sum, r) => sum + Math.max(0, r.points), 0);
  if (rules.length === 0 || possible <= 0) return { name: "fit", score: null, detail: "no ICP rules" };
  const matched = rules.filter((r) => icpRuleMatches(r, profile, config.missingTokens));
  const points = matched.reduce((sum, r) => sum + r.points, 0);
  const describeRule = (r: IcpRule) =>
    `${r.field} ${r.operator.replace("_", " ")}${r.value === undefined ? "" : ` ${Array.isArray(r.value) ? r.value.join("/") : String(r.value)}`}`;
  return {
    name: "fit",
    score: clamp((100 * points) / possible),
    detail: `${points} of ${possible} ICP points${matched.length ? `: ${matched.map(describeRule).join(", ")}` : ""}`,
  };
}

const COMPONENT_LABEL: Record<ComponentName, string> = {
  engagement: "engagement",
  recency: "recency",
  responseRate: "response rate",
  completeness: "profile completeness",
  fit: "ICP fit",
};

/**
 * Scores a lead: each rule component 0-100, the rule score as their weighted mean, the blend
 * with the model score, the level and the qualification decision. Factors are the components'
 * points in the final score (and the model's share), strongest first.
 */
export function scoreLead(
  signals: LeadSignals,
  config: LeadScoringConfig = DEFAULT_LEAD_SCORING,
  options: ScoreLeadOptions,
): Explained<LeadScore> {
  const now = toTime(options.now);
  const profile = signals.profile ?? {};
  const missing = new Set(["", ...config.missingTokens.map((t) => t.trim().toLowerCase())]);
  const recency = judgeRecency(signals, config, now);
  const judged: Judged[] = [
    judgeEngagement(signals, config),
    recency,
    judgeResponseRate(signals, config),
    judgeCompleteness(profile, config, missing),
    judgeFit(profile, config),
  ];
  const activeWeight = judged.reduce((sum, c) => sum + (c.score === null ? 0 : Math.max(0, config.weights[c.name])), 0);
  const components: ComponentScore[] = judged.map((c) => ({
    name: c.name,
    score: c.score === null ? null : round1(c.score),
    share: c.score === null || activeWeight === 0 ? 0 : Math.max(0, config.weights[c.name]) / activeWeight,
    detail: c.detail,
  }));
  const ruleExact = judged.reduce((sum, c, i) => sum + (c.score ?? 0) * (components[i] as ComponentScore).share, 0);
  const ruleScore = Math.round(ruleExact);

  const modelScore = options.modelScore ?? null;
  const blendTotal = config.blend.rules + config.blend.model;
  const modelShare = modelScore === null || blendTotal <= 0 ? 0 : config.blend.model / blendTotal;
  const blended = Math.round(ruleExact * (1 - modelShare) + (modelScore ?? 0) * modelShare);
  const override = options.override ?? null;
  if (override && !(override.score >= 0 && override.score <= 100))
    throw new Error("an override score must be between 0 and 100");
  if (override && override.reason.trim() === "") throw new Error("an override needs a reason");
  const score = override ? Math.round(override.score) : blended;

  const inactive = recency.days === null || recency.days >= config.inactiveAfterDays;
  const level = leadLevel(score, inactive, config.levels);
  const qualification = qualificationDecision(score, config.qualification, options.currentStage ?? null);

  const factors: Factor[] = [
    ...judged
      .map((c, i): Factor => {
        const share = (components[i] as ComponentScore).share * (1 - modelShare);
        return {
          name: COMPONENT_LABEL[c.name],
          impact: round1((c.score ?? 0) * share),
          value: (components[i] as ComponentScore).score,
        };
      })
      .filter((f) => f.value !== null),
    ...(modelScore === null
      ? []
      : [{ name: "model score", impact: round1(modelScore * modelShare), value: modelScore }]),
  ].sort((a, b) => Math.abs(b.impact) - Math.abs(a.impact) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const strongest = judged.filter((c) => c.score !== null).sort((a, b) => (b.score ?? 0) - (a.score ?? 0));
  const lines: string[] = [];
  if (override)
    lines.push(`Score ${score} set by hand (${override.reason.trim()}); the computed score was ${blended}.`);
  else if (modelScore !== null)
    lines.push(
      `Score ${score} blends the rule score ${ruleScore} (${Math.round((1 - modelShare) * 100)}%) with the model score ${modelScore} (${Math.round(modelShare * 100)}%).`,
    );
  else lines.push(`Score ${score} from the rules (no trained model).`);
  lines.push(
    `Level ${level}${inactive ? ` (${recency.days === null ? "never engaged" : `no engagement for ${Math.floor(recency.days)} days`})` : ""}; ${qualification.status}${qualification.moveToStage ? ", moves to MQL" : ""}.`,
  );
  if (strongest.length)
    lines.push(
      `Components: ${strongest.map((c) => `${COMPONENT_LABEL[c.name]} ${round1(c.score ?? 0)} (${c.detail})`).join("; ")}.`,
    );

  return {
    result: { score, level, ruleScore, modelScore, components, qualification, override },
    explanation: lines.join(" "),
    factors,
    engine: builtin(modelScore === null ? "lead-rules" : "lead-rules+model", LEAD_RULES_VERSION),
  };
}
