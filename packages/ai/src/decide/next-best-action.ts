// Next best action for a contact, lead or deal: every rule that applies proposes an action with
// a priority (0-100) and a confidence; the highest priority wins and the rest are kept as
// alternatives. Priorities are sums of named parts, so the factors show exactly why.
import { type Explained, type Factor, builtin } from "../engine";
import {
  type ChurnLevel,
  type Instant,
  type DecisionReplyClass,
  type ReplyFacts,
  type ScoreFacts,
  type ScoreLevel,
  type SequenceFacts,
  type StageFacts,
  addDays,
  clamp,
  daysBetween,
  normaliseReplyClass,
  toIso,
  toMs,
} from "./facts";

export const nextBestActionEngine = builtin("next-best-action-rules", "1");

export const nextActionTypes = [
  "respect_opt_out",
  "answer_question",
  "follow_up_interest",
  "save_customer",
  "contact_referral",
  "complete_overdue_task",
  "handle_due_action",
  "fix_email_address",
  "read_reply",
  "close_lost",
  "stop_outreach",
  "follow_up_stalled_deal",
  "enroll_in_sequence",
  "resume_sequence",
  "re_engage",
  "wait_for_return",
  "none",
] as const;
export type NextActionType = (typeof nextActionTypes)[number];

export type ActionRecordType = "contact" | "lead" | "deal";

export interface RecordFacts {
  recordType: ActionRecordType;
  recordId: string;
  /** The last activity or email on the record, either way (replies included). */
  lastActivityAt?: Instant | null;
  lastReply?: ReplyFacts | null;
  openTasks?: { open: number; overdue: number } | null;
  deal?: {
    status: "active" | "won" | "lost" | "paused";
    stage: StageFacts;
    stageEnteredAt: Instant;
    nextActionAt?: Instant | null;
  } | null;
  score?: ScoreFacts | null;
  churnRisk?: { level: ChurnLevel; probability?: number | null } | null;
  sequence?: SequenceFacts | null;
  doNotContact?: boolean;
}

export interface NextBestAction {
  recordType: ActionRecordType;
  recordId: string;
  action: NextActionType;
  priority: number;
  /** How sure the rule is that this is the right action, in [0, 1]. */
  confidence: number;
  /** After this the suggestion is stale and should be recomputed. */
  expiresAt: string;
  /** The other actions that applied, by priority. */
  alternatives: { action: NextActionType; priority: number; confidence: number }[];
}

interface Candidate {
  action: NextActionType;
  confidence: number;
  validDays: number;
  /** Starting a conversation (not answering one): left out for do-not-contact records. */
  outreach: boolean;
  /** Sequences already follow up: left out while one is active. */
  sequenceCovers: boolean;
  parts: Factor[];
  why: string;
}

const scoreAdjustment: Record<ScoreLevel, number> = { hot: 10, warm: 5, cold: 0, nurture: -5, inactive: -10 };
/**
 * Actions about the record's safety and hygiene keep their priority whatever the score; the
 * sequence enrolment's priority is already set by the score level.
 */
const scoreNeutral = new Set<NextActionType>(["respect_opt_out", "fix_email_address", "enroll_in_sequence", "none"]);

const round2 = (n: number) => Math.round(n * 100) / 100;

function replyCandidate(klass: DecisionReplyClass, reply: ReplyFacts, facts: RecordFacts, now: Instant): Candidate {
  const days = Math.max(0, daysBetween(reply.at, now));
  const certainty = reply.confidence ?? 1;
  const base = (action: NextActionType, priority: number, confidence: number, validDays: number, why: string) => ({
    action,
    confidence: round2(confidence * certainty),
    validDays,
    outreach: false,
    sequenceCovers: false,
    parts: [{ name: `reply: ${klass}`, impact: priority, value: toIso(reply.at).slice(0, 10) }],
    why,
  });
  // An unanswered question or show of interest grows more urgent each day it waits.
  const waiting = (c: Candidate): Candidate =>
    days === 0
      ? c
      : {
          ...c,
          parts: [...c.parts, { name: "days waiting for an answer", impact: Math.min(8, 2 * days), value: days }],
        };
  switch (klass) {
    case "unsubscribe_request":
      return base(
        "respect_opt_out",
        95,
        0.95,
        1,
        "The contact asked to unsubscribe: mark them do-not-contact and stop outreach.",
      );
    case "question":
      return waiting(base("answer_question", 88, 0.9, 2, "The contact asked a question that has no answer yet."));
    case "interested":
      return waiting(
        base("follow_up_interest", 86, 0.9, 3, "The contact replied interested: follow up while it is warm."),
      );
    case "referral":
      return base("contact_referral", 75, 0.85, 7, "The contact referred you to someone: reach out to them.");
    case "bounce_auto_reply":
      return base(
        "fix_email_address",
        62,
        0.85,
        7,
        "The last message bounced or drew an automatic reply: check the address.",
      );
    case "not_interested":
      return facts.recordType === "contact"
        ? base("stop_outreach", 55, 0.8, 7, "The contact replied not interested: stop outreach.")
        : base("close_lost", 55, 0.8, 7, `The contact replied not interested: close the ${facts.recordType} as lost.`);
    case "other":
      return base("read_reply", 65, 0.6, 2, "The contact replied: read it and decide the next step.");
    case "out_of_office": {
      const back = reply.returnDate ? toIso(reply.returnDate).slice(0, 10) : null;
      const c = base(
        "wait_for_return",
        15,
        0.8,
        back ? Math.max(1, daysBetween(now, reply.returnDate!) + 1) : 7,
        back ? `The contact is out of office until ${back}: wait.` : "The contact is out of office: wait a week.",
      );
      return c;
    }
  }
}

/** The next best action for one record, from its facts. */
export function nextBestAction(facts: RecordFacts, now: Instant): Explained<NextBestAction> {
  const candidates: Candidate[] = [];
  const notes: string[] = [];
  const sequenceActive = facts.sequence?.status === "active";
  const lastActivity = facts.lastActivityAt ?? null;

  // A reply counts until something happened after it.
  const reply = facts.lastReply ?? null;
  if (reply && (!lastActivity || toMs(reply.at) >= toMs(lastActivity))) {
    const klass = normaliseReplyClass(reply.class);
    if (klass !== "out_of_office" || !reply.returnDate || toMs(reply.returnDate) > toMs(now)) {
      candidates.push(replyCandidate(klass, reply, facts, now));
    }
  }

  const churn = facts.churnRisk;
  if (churn && churn.level !== "low") {
    const priority = { medium: 50, high: 78, critical: 90 }[churn.level];
    candidates.push({
      action: "save_customer",
      confidence: round2(churn.probability ?? { medium: 0.5, high: 0.7, critical: 0.85 }[churn.level]),
      validDays: 7,
      outreach: true,
      sequenceCovers: false,
      parts: [{ name: `churn risk: ${churn.level}`, impact: priority, value: churn.probability ?? churn.level }],
      why: `Churn risk is ${churn.level}: reach out to keep the customer.`,
    });
  }

  const overdue = facts.openTasks?.overdue ?? 0;
  if (overdue > 0) {
    candidates.push({
      action: "complete_overdue_task",
      confidence: 0.95,
      validDays: 1,
      outreach: false,
      sequenceCovers: false,
      parts: [
        { name: "overdue task", impact: 72, value: overdue },
        ...(overdue > 1
          ? [{ name: "more overdue tasks", impact: Math.min(15, 3 * (overdue - 1)), value: overdue - 1 }]
          : []),
      ],
      why: `${overdue} task${overdue === 1 ? " is" : "s are"} overdue.`,
    });
  }

  const deal = facts.deal;
  if (deal && deal.status === "active" && !deal.stage.isWon && !deal.stage.isLost) {
    if (deal.nextActionAt && toMs(deal.nextActionAt) <= toMs(now)) {
      const late = daysBetween(deal.nextActionAt, now);
      candidates.push({
        action: "handle_due_action",
        confidence: 0.9,
        validDays: 1,
        outreach: false,
        sequenceCovers: false,
        parts: [
          { name: "next action date reached", impact: 70, value: toIso(deal.nextActionAt).slice(0, 10) },
          ...(late > 0
            ? [{ name: "days past the next action date", impact: Math.min(10, 2 * late), value: late }]
            : []),
        ],
        why: `The deal's next action was due on ${toIso(deal.nextActionAt).slice(0, 10)}.`,
      });
    }
    const followUpDays = deal.stage.followUpDays;
    const touched = lastActivity && toMs(lastActivity) > toMs(deal.stageEnteredAt) ? lastActivity : deal.stageEnteredAt;
    const silent = daysBetween(touched, now);
    // A next action planned for later is the plan: the stage's cadence does not overrule it.
    const planned = deal.nextActionAt ? toMs(deal.nextActionAt) > toMs(now) : false;
    if (followUpDays !== null && silent >= followUpDays && !planned) {
      candidates.push({
        action: "follow_up_stalled_deal",
        confidence: 0.75,
        validDays: Math.max(1, followUpDays),
        outreach: true,
        sequenceCovers: true,
        parts: [
          { name: `${deal.stage.name}: follow-up due`, impact: 55, value: `${followUpDays} days` },
          ...(silent > followUpDays
            ? [
                {
                  name: "days past the follow-up",
                  impact: Math.min(25, 5 * (silent - followUpDays)),
                  value: silent - followUpDays,
                },
              ]
            : []),
        ],
        why: `No touch for ${silent} days in ${deal.stage.name}, which follows up after ${followUpDays}.`,
      });
    }
  }

  const sequence = facts.sequence;
  if (sequence?.status === "paused" && sequence.pausedAt && daysBetween(sequence.pausedAt, now) >= 7) {
    const days = daysBetween(sequence.pausedAt, now);
    candidates.push({
      action: "resume_sequence",
      confidence: 0.6,
      validDays: 7,
      outreach: true,
      sequenceCovers: false,
      parts: [{ name: "sequence paused", impact: 40, value: `${days} days` }],
      why: `The sequence${sequence.sequenceName ? ` "${sequence.sequenceName}"` : ""} has been paused for ${days} days: resume or end it.`,
    });
  }

  const quietDays = lastActivity ? daysBetween(lastActivity, now) : null;
  const level = facts.score?.level ?? null;
  if (facts.recordType !== "deal" && (level === "hot" || level === "warm") && !sequence) {
    const threshold = level === "hot" ? 7 : 14;
    if (quietDays === null || quietDays >= threshold) {
      candidates.push({
        action: "enroll_in_sequence",
        confidence: 0.7,
        validDays: 7,
        outreach: true,
        sequenceCovers: true,
        parts: [{ name: `score level: ${level}`, impact: level === "hot" ? 60 : 45, value: facts.score!.value }],
        why: `A ${level} ${facts.recordType} with ${quietDays === null ? "no activity yet" : `no activity for ${quietDays} days`} and no sequence.`,
      });
    }
  }
  if (quietDays !== null && quietDays >= 30 && level !== "inactive") {
    candidates.push({
      action: "re_engage",
      confidence: 0.5,
      validDays: 14,
      outreach: true,
      sequenceCovers: true,
      parts: [
        { name: "no activity for 30+ days", impact: 35, value: quietDays },
        ...(quietDays >= 33
          ? [
              {
                name: "more days without activity",
                impact: Math.min(20, Math.floor((quietDays - 30) / 3)),
                value: quietDays - 30,
              },
            ]
          : []),
      ],
      why: `Nothing has happened for ${quietDays} days.`,
    });
  }

  // Do-not-contact and a running sequence rule some actions out.
  const allowed = candidates.filter((c) => {
    if (facts.doNotContact && c.outreach) {
      notes.push(`Not suggested (${c.action}): the record is do-not-contact.`);
      return false;
    }
    if (sequenceActive && c.sequenceCovers) {
      notes.push(`Not suggested (${c.action}): an active sequence already follows up.`);
      return false;
    }
    return true;
  });

  const scored = allowed.map((c) => {
    const parts = [...c.parts];
    if (level && !scoreNeutral.has(c.action) && scoreAdjustment[level] !== 0) {
      parts.push({ name: `score level: ${level}`, impact: scoreAdjustment[level], value: facts.score!.value });
    }
    const priority = clamp(
      parts.reduce((sum, p) => sum + p.impact, 0),
      0,
      100,
    );
    return { ...c, parts, priority };
  });
  // Highest priority first; on a tie the more certain action, then the list order above.
  scored.sort((a, b) => b.priority - a.priority || b.confidence - a.confidence);

  const best = scored[0];
  if (!best) {
    return {
      result: {
        recordType: facts.recordType,
        recordId: facts.recordId,
        action: "none",
        priority: 0,
        confidence: 1,
        expiresAt: addDays(now, 1),
        alternatives: [],
      },
      explanation: ["Nothing is due on this record.", ...notes].join(" "),
      factors: [],
      engine: nextBestActionEngine,
    };
  }
  return {
    result: {
      recordType: facts.recordType,
      recordId: facts.recordId,
      action: best.action,
      priority: best.priority,
      confidence: best.confidence,
      expiresAt: addDays(now, best.validDays),
      alternatives: scored.slice(1).map((c) => ({ action: c.action, priority: c.priority, confidence: c.confidence })),
    },
    explanation: [best.why, `Priority ${best.priority}.`, ...notes].join(" "),
    factors: [...best.parts].sort((a, b) => Math.abs(b.impact) - Math.abs(a.impact)),
    engine: nextBestActionEngine,
  };
}
