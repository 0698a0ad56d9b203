// The pipeline agent's decision log and stuck-deal review as the API answers them
// (/api/v1/ai/agent/*), and the words the decisions page shows for them.

export type AgentMode = "off" | "suggest" | "act";
export type AgentDecisionType = "send_email" | "move_stage" | "wait" | "flag_for_review" | "stuck_review";
export type AgentOutcome = "applied" | "suggested" | "skipped" | "failed";

export interface AgentFactor {
  name: string;
  impact: number;
  value?: string | number | boolean | null;
}

export interface StuckDeal {
  dealId: string;
  dealName: string;
  stageName: string;
  daysInStage: number;
  typicalDays: number;
  typicalFrom: "history" | "follow_up_days" | "default";
  daysSinceActivity: number;
  reasons: ("over_typical_time" | "no_recent_activity")[];
  explanation: string;
}

export type AgentAction =
  | { kind: "send_email"; contactId: string | null; template: string; followUpNumber: number }
  | { kind: "move_stage"; fromStageId: string; toStageId: string; toStageName: string; lostReason: string | null }
  | { kind: "wait"; until: string | null }
  | {
      kind: "flag_for_review";
      reason: string;
      suggestion: string;
      task: { title: string; dueAt: string } | null;
    }
  | { kind: "stuck_review"; stuckDeals: StuckDeal[] };

export interface AgentDecision {
  id: string;
  runId: string;
  dealId: string | null;
  dealName: string | null;
  type: AgentDecisionType;
  action: AgentAction;
  explanation: string;
  reasoning: string[];
  factors: AgentFactor[];
  inputs: Record<string, unknown>;
  engine: { engine: string; model: string; version: string };
  mode: "suggest" | "act";
  outcome: AgentOutcome;
  outcomeDetail: string | null;
  triggeredBy: string;
  createdAt: string;
}

export interface AgentRun {
  runId: string;
  mode: "suggest" | "act";
  at: string;
  decisions: AgentDecision[];
}

export interface StuckDealReview {
  at: string;
  openDeals: number;
  stuckDeals: StuckDeal[];
  explanation: string;
  engine: { engine: string; model: string; version: string };
}

export interface DecisionPage {
  data: AgentDecision[];
  nextCursor: string | null;
}

export const decisionTypeLabels: Record<AgentDecisionType, string> = {
  send_email: "Send email",
  move_stage: "Move stage",
  wait: "Wait",
  flag_for_review: "Flag for review",
  stuck_review: "Stuck-deal review",
};

export const outcomeLabels: Record<AgentOutcome, string> = {
  applied: "Applied",
  suggested: "Suggested",
  skipped: "Skipped",
  failed: "Failed",
};

export const outcomeTones: Record<AgentOutcome, "success" | "accent" | "warning" | "danger"> = {
  applied: "success",
  suggested: "accent",
  skipped: "warning",
  failed: "danger",
};

export const modeLabels: Record<AgentMode, string> = {
  off: "Off",
  suggest: "Suggest only",
  act: "Act",
};

export const modeDescriptions: Record<AgentMode, string> = {
  off: "The agent does not run.",
  suggest: "The agent decides every hour and logs what it would do; nothing changes.",
  act: "The agent decides every hour and carries its decisions out.",
};

const day = (iso: string) => iso.slice(0, 10);

/** The decision's action as a sentence. */
export function actionInWords(decision: Pick<AgentDecision, "action" | "dealName">): string {
  const action = decision.action;
  const deal = decision.dealName ?? "the deal";
  switch (action.kind) {
    case "move_stage":
      return `Move ${deal} to ${action.toStageName}${action.lostReason ? ` (lost: ${action.lostReason})` : ""}`;
    case "send_email":
      return `Send follow-up email ${action.followUpNumber} to the deal's contact`;
    case "wait":
      return action.until ? `Wait until ${day(action.until)}` : "Wait: nothing is due";
    case "flag_for_review":
      return action.suggestion;
    case "stuck_review":
      return action.stuckDeals.length === 0
        ? "No deal is stuck"
        : `${action.stuckDeals.length} stuck ${action.stuckDeals.length === 1 ? "deal" : "deals"}: ${action.stuckDeals
            .slice(0, 3)
            .map((s) => s.dealName)
            .join(", ")}${action.stuckDeals.length > 3 ? ", …" : ""}`;
  }
}

/** An input's value as a person reads it. */
export function inputValue(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (Array.isArray(value)) return value.length === 0 ? "none" : value.map((v) => inputValue(v)).join(", ");
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** camelCase input names as words: "daysSinceTouch" → "days since touch". */
export function inputName(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}
