// The next best action for one contact, lead or deal: its facts from D1, the built-in engine's
// decision, and what a person reads beside it (a title, when it is due, the facts it used).
import {
  type Explained,
  type NextActionType,
  type NextBestAction,
  nextBestAction,
  nextBestActionEngine,
} from "@crm/ai";
import type { TenantContext } from "../../context";
import { requireVisibleParent } from "../../timeline/parent-record";
import { type RecommendationRecordType, type DecisionRows, type GatheredRecordFacts, gatherRecordFacts } from "./facts";

const dayMs = 86_400_000;

/** What each action asks a person to do, as a short imperative. */
export const actionTitles: Record<NextActionType, string> = {
  respect_opt_out: "Stop contacting: they asked to unsubscribe",
  answer_question: "Answer their question",
  follow_up_interest: "Follow up on their interest",
  save_customer: "Reach out to keep the customer",
  contact_referral: "Contact the person they referred you to",
  complete_overdue_task: "Complete the overdue task",
  handle_due_action: "Handle the deal's due next action",
  fix_email_address: "Check the email address",
  read_reply: "Read their reply",
  close_lost: "Close as lost",
  stop_outreach: "Stop outreach",
  follow_up_stalled_deal: "Follow up on the stalled deal",
  enroll_in_sequence: "Enroll in a sequence",
  resume_sequence: "Resume or end the paused sequence",
  re_engage: "Re-engage",
  wait_for_return: "Wait until they are back",
  none: "Nothing to do",
};

/** The decision for gathered facts: a closed record (won deal, converted lead) has nothing to do. */
export function decideNextBestAction(gathered: GatheredRecordFacts, now: Date): Explained<NextBestAction> {
  if (!gathered.closed) return nextBestAction(gathered.facts, now);
  return {
    result: {
      recordType: gathered.facts.recordType,
      recordId: gathered.facts.recordId,
      action: "none",
      priority: 0,
      confidence: 1,
      expiresAt: new Date(now.getTime() + dayMs).toISOString(),
      alternatives: [],
    },
    explanation: gathered.closed,
    factors: [],
    engine: nextBestActionEngine,
  };
}

const asDate = (at: Date | string | number) => (at instanceof Date ? at : new Date(at));

/**
 * When the action should be done: the date it answers (the deal's next action date, the
 * oldest overdue task, the stage's follow-up date, the return from leave); null for an action
 * that is simply due now (answering a question).
 */
export function nextActionDueAt(decision: Explained<NextBestAction>, gathered: GatheredRecordFacts): Date | null {
  const facts = gathered.facts;
  const deal = facts.deal;
  switch (decision.result.action) {
    case "handle_due_action":
      return deal?.nextActionAt ? asDate(deal.nextActionAt) : null;
    case "complete_overdue_task":
      return gathered.overdueSince ?? null;
    case "wait_for_return":
      return facts.lastReply?.returnDate ? asDate(facts.lastReply.returnDate) : new Date(decision.result.expiresAt);
    case "follow_up_stalled_deal": {
      if (!deal || deal.stage.followUpDays === null) return null;
      const entered = asDate(deal.stageEnteredAt);
      const last = facts.lastActivityAt ? asDate(facts.lastActivityAt) : null;
      const touched = last && last > entered ? last : entered;
      return new Date(touched.getTime() + deal.stage.followUpDays * dayMs);
    }
    case "re_engage":
      return facts.lastActivityAt ? new Date(asDate(facts.lastActivityAt).getTime() + 30 * dayMs) : null;
    default:
      return null;
  }
}

const iso = (at: Date | string | number | null | undefined) => (at == null ? null : asDate(at).toISOString());

/** The facts as JSON: what the decision was made from, dates as ISO strings. */
function factsJson(gathered: GatheredRecordFacts) {
  const f = gathered.facts;
  return {
    lastActivityAt: iso(f.lastActivityAt),
    lastReply: f.lastReply
      ? {
          class: f.lastReply.class,
          at: iso(f.lastReply.at),
          confidence: f.lastReply.confidence ?? null,
          returnDate: iso(f.lastReply.returnDate),
        }
      : null,
    openTasks: f.openTasks ?? { open: 0, overdue: 0 },
    deal: f.deal
      ? {
          status: f.deal.status,
          stage: { id: f.deal.stage.id, name: f.deal.stage.name, followUpDays: f.deal.stage.followUpDays },
          stageEnteredAt: iso(f.deal.stageEnteredAt),
          nextActionAt: iso(f.deal.nextActionAt),
        }
      : null,
    score: f.score ?? null,
    churnRisk: f.churnRisk ? { level: f.churnRisk.level, probability: f.churnRisk.probability ?? null } : null,
    sequence: f.sequence
      ? {
          status: f.sequence.status,
          exitReason: f.sequence.exitReason ?? null,
          sequenceName: f.sequence.sequenceName ?? null,
          dueAt: iso(f.sequence.dueAt),
          pausedAt: iso(f.sequence.pausedAt),
        }
      : null,
    doNotContact: f.doNotContact ?? false,
  };
}

/** The first sentence of the explanation: the reason in brief. */
export function explanationSummary(explanation: string): string {
  const end = explanation.search(/[.!?](\s|$)/);
  return end === -1 ? explanation : explanation.slice(0, end + 1);
}

export function publicNextBestAction(decision: Explained<NextBestAction>, gathered: GatheredRecordFacts, now: Date) {
  const r = decision.result;
  return {
    recordType: r.recordType,
    recordId: r.recordId,
    recordName: gathered.name,
    type: r.action,
    priority: r.priority,
    confidence: r.confidence,
    title: `${actionTitles[r.action]}: ${gathered.name}`,
    summary: explanationSummary(decision.explanation),
    dueAt: (nextActionDueAt(decision, gathered) ?? now).toISOString(),
    expiresAt: r.expiresAt,
    explanation: decision.explanation,
    factors: decision.factors,
    alternatives: r.alternatives.map((alt) => ({ ...alt, title: actionTitles[alt.action] })),
    facts: factsJson(gathered),
    engine: decision.engine,
    decidedAt: now.toISOString(),
  };
}
export type PublicNextBestAction = ReturnType<typeof publicNextBestAction>;

/** The next best action for one record the caller can see; unknown, another tenant's or hidden is a 404. */
export async function getNextBestAction(
  ctx: TenantContext,
  recordType: RecommendationRecordType,
  recordId: string,
  now = new Date(),
): Promise<PublicNextBestAction> {
  const row = (await requireVisibleParent(ctx, recordType, recordId)) as DecisionRows[typeof recordType];
  const [gathered] = await gatherRecordFacts(ctx, recordType, [row], now);
  return publicNextBestAction(decideNextBestAction(gathered!, now), gathered!, now);
}
