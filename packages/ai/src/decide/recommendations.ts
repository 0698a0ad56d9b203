// Recommendations: a next best action offered to a person, with its life cycle. A person sees it
// (viewed), takes it on (accepted) or turns it down (dismissed), and marks the accepted one done
// (completed). Anything else is refused with the reason, and a stale recommendation (past its
// expiry) can no longer be viewed or accepted.
import type { EngineInfo, Explained } from "../engine";
import { type Instant, toIso, toMs } from "./facts";
import type { ActionRecordType, NextActionType, NextBestAction } from "./next-best-action";

export const recommendationStatuses = ["pending", "viewed", "accepted", "dismissed", "completed"] as const;
export type RecommendationStatus = (typeof recommendationStatuses)[number];

/** The moves each status allows. Dismissed and completed are final. */
export const recommendationTransitions: Record<RecommendationStatus, readonly RecommendationStatus[]> = {
  pending: ["viewed"],
  viewed: ["accepted", "dismissed"],
  accepted: ["completed"],
  dismissed: [],
  completed: [],
};

export interface Recommendation {
  type: NextActionType;
  recordType: ActionRecordType;
  recordId: string;
  priority: number;
  confidence: number;
  status: RecommendationStatus;
  /** Why, in plain sentences (the next best action's explanation). */
  reasoning: string;
  engine: EngineInfo;
  createdAt: string;
  expiresAt: string;
  viewedAt: string | null;
  acceptedAt: string | null;
  dismissedAt: string | null;
  completedAt: string | null;
}

/** A pending recommendation from a next best action; null when the action is "none". */
export function recommendationFrom(action: Explained<NextBestAction>, now: Instant): Recommendation | null {
  if (action.result.action === "none") return null;
  return {
    type: action.result.action,
    recordType: action.result.recordType,
    recordId: action.result.recordId,
    priority: action.result.priority,
    confidence: action.result.confidence,
    status: "pending",
    reasoning: action.explanation,
    engine: action.engine,
    createdAt: toIso(now),
    expiresAt: action.result.expiresAt,
    viewedAt: null,
    acceptedAt: null,
    dismissedAt: null,
    completedAt: null,
  };
}

/** Pending or viewed past its expiry: out of the inbox, no longer actionable. */
export function isRecommendationExpired(recommendation: Recommendation, at: Instant): boolean {
  return (
    (recommendation.status === "pending" || recommendation.status === "viewed") &&
    toMs(at) >= toMs(recommendation.expiresAt)
  );
}

export type TransitionResult =
  { ok: true; recommendation: Recommendation } | { ok: false; code: "invalid_transition" | "expired"; message: string };

/** The timestamp each status sets (nothing moves back to pending, so its entry is never used). */
const stampField = {
  pending: "createdAt",
  viewed: "viewedAt",
  accepted: "acceptedAt",
  dismissed: "dismissedAt",
  completed: "completedAt",
} as const;

const article = (word: string) => (/^[aeiou]/.test(word) ? "An" : "A");

/** The recommendation moved to `to` at `at`, or why it cannot move. */
export function transitionRecommendation(
  recommendation: Recommendation,
  to: RecommendationStatus,
  at: Instant,
): TransitionResult {
  const from = recommendation.status;
  if (!recommendationTransitions[from].includes(to)) {
    const allowed = recommendationTransitions[from];
    return {
      ok: false,
      code: "invalid_transition",
      message:
        allowed.length === 0
          ? `${article(from)} ${from} recommendation is final; it cannot become ${to}.`
          : `${article(from)} ${from} recommendation can become ${allowed.join(" or ")}, not ${to}.`,
    };
  }
  // A stale suggestion may still be dismissed (clearing it away), but not viewed or taken on.
  if (to !== "dismissed" && isRecommendationExpired(recommendation, at)) {
    return {
      ok: false,
      code: "expired",
      message: `The recommendation expired at ${recommendation.expiresAt}; it cannot become ${to}.`,
    };
  }
  return { ok: true, recommendation: { ...recommendation, status: to, [stampField[to]]: toIso(at) } };
}
