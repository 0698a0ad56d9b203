// The AI panel on contact, lead and deal pages: the next best action's shape
// (GET /api/v1/ai/next-best-action/{type}/{id}) and which of the dashboard's own actions carry it out.
import type { PipelineStage } from "$lib/records/detail/types";
import type { RecommendationFactor, RecommendationRecordType, RecommendationStatus } from "./recommendations";

export interface NextBestAction {
  recordType: RecommendationRecordType;
  recordId: string;
  recordName: string;
  type: string;
  priority: number;
  confidence: number;
  title: string;
  summary: string;
  dueAt: string;
  expiresAt: string;
  explanation: string;
  factors: RecommendationFactor[];
  alternatives: { action: string; title: string; priority: number; confidence: number }[];
  /** The stored lead score and churn level the decision weighed (null: never scored). */
  facts: {
    doNotContact: boolean;
    score: { value: number; level: string } | null;
    churnRisk: { level: string; probability: number | null } | null;
  };
  engine: { engine: string; model: string; version: string };
  decidedAt: string;
}

/**
 * Actions a written message carries out. Opt-outs, stopping outreach, waiting and hygiene are
 * not a message; a sequence step is enrolled on the sequences page.
 */
const emailActions = new Set([
  "answer_question",
  "follow_up_interest",
  "save_customer",
  "contact_referral",
  "follow_up_stalled_deal",
  "handle_due_action",
  "re_engage",
]);

/**
 * The composer link for an action, prefilled with the contact (and the deal on a deal page);
 * null when no message fits: the action is not one, there is no contact to write to, or they
 * must not be contacted.
 */
export function composerHref(
  action: Pick<NextBestAction, "type" | "facts">,
  recordType: RecommendationRecordType,
  record: { id: string; contactId?: unknown },
): string | null {
  if (!emailActions.has(action.type) || action.facts.doNotContact) return null;
  if (recordType === "contact") return `/ai/composer?${new URLSearchParams({ contactId: record.id })}`;
  if (recordType === "deal" && typeof record.contactId === "string" && record.contactId)
    return `/ai/composer?${new URLSearchParams({ contactId: record.contactId, dealId: record.id })}`;
  return null;
}

/** Nothing to do, or nothing a person does (waiting): no task for it. */
export const taskable = (type: string) => type !== "none" && type !== "wait_for_return";

/**
 * The stage a deal's action suggests: its pipeline's lost stage for "close as lost", otherwise the
 * next open stage after the current one (the deal moves on once the follow-up is done).
 */
export function suggestedStage(type: string, stages: PipelineStage[], currentStageId: unknown): PipelineStage | null {
  const ordered = [...stages].sort((a, b) => a.position - b.position);
  if (type === "close_lost") return ordered.find((s) => s.isLost) ?? null;
  const current = ordered.findIndex((s) => s.id === currentStageId);
  return ordered.slice(current + 1).find((s) => !s.isWon && !s.isLost) ?? null;
}

/** The statuses a person can move a recommendation to from where it is (the API's life cycle). */
export function nextStatuses(status: RecommendationStatus, expired: boolean): RecommendationStatus[] {
  if (status === "accepted") return ["completed"];
  if (expired) return status === "viewed" ? ["dismissed"] : [];
  if (status === "pending" || status === "viewed") return ["accepted", "dismissed"];
  return [];
}

export const moveLabels: Partial<Record<RecommendationStatus, string>> = {
  accepted: "Accept",
  dismissed: "Dismiss",
  completed: "Mark done",
};

export const priorityTone = (priority: number) => (priority >= 75 ? "danger" : priority >= 50 ? "warning" : "neutral");

const aiRecordTypes: Record<string, RecommendationRecordType> = { contacts: "contact", leads: "lead", deals: "deal" };

/** The record type the AI panel shows for a record page (`contacts` → contact); null where it has none. */
export const aiRecordType = (object: string): RecommendationRecordType | null => aiRecordTypes[object] ?? null;
