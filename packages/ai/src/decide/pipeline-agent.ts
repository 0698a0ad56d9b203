// The pipeline agent's decision for one deal: send email, move stage, wait, or flag for review.
// Ordered rules, first match wins, each leaving a sentence in the reasoning: a fresh reply
// speaks loudest, then the sequence that is already writing to the contact, then the stage's
// follow-up cadence and its auto-actions. Whether the decision is carried out (off, suggest,
// act) is the caller's choice; this only decides.
import { type Explained, type Factor, builtin } from "../engine";
import {
  type Instant,
  type DecisionReplyClass,
  type ReplyFacts,
  type ScoreFacts,
  type SequenceFacts,
  type StageFacts,
  addDays,
  daysBetween,
  isKnownAutoAction,
  normaliseReplyClass,
  toIso,
  toMs,
} from "./facts";

export const pipelineAgentEngine = builtin("pipeline-agent-rules", "1");

export const agentDecisionTypes = ["send_email", "move_stage", "wait", "flag_for_review"] as const;
export type AgentDecisionType = (typeof agentDecisionTypes)[number];

export const reviewReasons = [
  "unsubscribe_request",
  "bounced",
  "not_interested_unsure",
  "ready_to_close",
  "question",
  "referral",
  "unclassified_reply",
  "do_not_contact",
  "no_reply_after_follow_ups",
  "inactive_contact",
  "follow_up_task",
  "follow_up_due",
] as const;
export type ReviewReason = (typeof reviewReasons)[number];

export type AgentAction =
  | { kind: "send_email"; contactId: string | null; template: "follow_up"; followUpNumber: number }
  | {
      kind: "move_stage";
      fromStageId: string;
      toStageId: string;
      toStageName: string;
      /** Set when the move closes the deal as lost. */
      lostReason: string | null;
    }
  | { kind: "wait"; until: string | null }
  | {
      kind: "flag_for_review";
      reason: ReviewReason;
      /** What a person should do, in a sentence. */
      suggestion: string;
      /** A task to create for the deal's owner (the stage's create_follow_up_task auto-action). */
      task: { title: string; dueAt: string } | null;
    };

export interface DealAgentInput {
  now: Instant;
  deal: {
    id: string;
    name: string;
    status: "active" | "won" | "lost" | "paused";
    contactId?: string | null;
    stageEnteredAt: Instant;
    nextActionAt?: Instant | null;
  };
  /** The deal's current stage. */
  stage: StageFacts;
  /** Every stage of the deal's pipeline (any order): where "next" and "lost" are found. */
  pipelineStages: StageFacts[];
  /** The last touch either way: an activity, an email sent or received. */
  lastTouchAt?: Instant | null;
  lastReply?: ReplyFacts | null;
  /** The deal contact's current (or latest) sequence enrollment. */
  sequence?: SequenceFacts | null;
  score?: ScoreFacts | null;
  /** Follow-up emails the agent already sent while the deal sat in this stage. */
  followUpsSentInStage?: number;
  doNotContact?: boolean;
}

export interface AgentOptions {
  /** Follow-ups in one stage before a person is asked to step in. Default 3. */
  maxFollowUps?: number;
  /** A "not interested" reply closes the deal as lost only at this confidence or above. Default 0.8. */
  lostConfidence?: number;
  /** How long to wait after an out-of-office reply without a return date. Default 7 days. */
  outOfOfficeDays?: number;
}

export interface AgentInputs {
  stage: string;
  followUpDays: number | null;
  autoActions: string[];
  ignoredAutoActions: string[];
  daysInStage: number;
  daysSinceTouch: number;
  nextActionAt: string | null;
  lastReplyClass: DecisionReplyClass | null;
  lastReplyAt: string | null;
  replyIsNew: boolean;
  sequenceStatus: string | null;
  score: number | null;
  scoreLevel: string | null;
  followUpsSentInStage: number;
  doNotContact: boolean;
}

export interface AgentDecision {
  dealId: string;
  type: AgentDecisionType;
  action: AgentAction;
  /** Every rule checked, in order, ending with the one that decided. */
  reasoning: string[];
  inputs: AgentInputs;
  /** When the agent should look at the deal again (the caller stores it as the next action date). */
  nextCheckAt: string | null;
}

const followUpTemplate = "follow_up" as const;

const dayCount = (n: number) => `${n} ${n === 1 ? "day" : "days"}`;

/** The first open (neither won nor lost) stage after `stage` in board order. */
function nextOpenStage(stage: StageFacts, stages: StageFacts[]): StageFacts | null {
  return (
    [...stages]
      .sort((a, b) => a.position - b.position)
      .find((s) => s.position > stage.position && !s.isWon && !s.isLost) ?? null
  );
}

function lostStage(stages: StageFacts[]): StageFacts | null {
  return [...stages].sort((a, b) => a.position - b.position).find((s) => s.isLost) ?? null;
}

/** Decides what the agent does with one deal that is due. */
export function decideDealAction(input: DealAgentInput, options: AgentOptions = {}): Explained<AgentDecision> {
  const maxFollowUps = options.maxFollowUps ?? 3;
  const lostConfidence = options.lostConfidence ?? 0.8;
  const outOfOfficeDays = options.outOfOfficeDays ?? 7;
  const { now, deal, stage, score } = input;
  const sentInStage = input.followUpsSentInStage ?? 0;
  const doNotContact = input.doNotContact ?? false;

  // Follow-up time counts from the later of the last touch and the stage entry.
  const touchBase =
    input.lastTouchAt && toMs(input.lastTouchAt) > toMs(deal.stageEnteredAt) ? input.lastTouchAt : deal.stageEnteredAt;
  const reply = input.lastReply ?? null;
  const replyClass = reply ? normaliseReplyClass(reply.class) : null;
  // A reply is new when nothing happened on the deal since: not before the stage was entered
  // (a move already answered it) and not followed by a later touch.
  const replyIsNew =
    reply !== null &&
    toMs(reply.at) >= toMs(deal.stageEnteredAt) &&
    (!input.lastTouchAt || toMs(reply.at) >= toMs(input.lastTouchAt));

  const inputs: AgentInputs = {
    stage: stage.name,
    followUpDays: stage.followUpDays,
    autoActions: stage.autoActions,
    ignoredAutoActions: stage.autoActions.filter((name) => !isKnownAutoAction(name)),
    daysInStage: daysBetween(deal.stageEnteredAt, now),
    daysSinceTouch: daysBetween(touchBase, now),
    nextActionAt: deal.nextActionAt ? toIso(deal.nextActionAt) : null,
    lastReplyClass: replyClass,
    lastReplyAt: reply ? toIso(reply.at) : null,
    replyIsNew,
    sequenceStatus: input.sequence?.status ?? null,
    score: score?.value ?? null,
    scoreLevel: score?.level ?? null,
    followUpsSentInStage: sentInStage,
    doNotContact,
  };
  const reasoning: string[] = [];
  const considered: Factor[] = [];

  const decide = (action: AgentAction, why: string, decisive: Factor, nextCheckAt: string | null) => {
    reasoning.push(why);
    const type = action.kind;
    return {
      result: { dealId: deal.id, type, action, reasoning, inputs, nextCheckAt },
      explanation: why,
      factors: [decisive, ...considered.filter((f) => f.name !== decisive.name)],
      engine: pipelineAgentEngine,
    } satisfies Explained<AgentDecision>;
  };
  const review = (reason: ReviewReason, suggestion: string, why: string, decisive: Factor) =>
    decide({ kind: "flag_for_review", reason, suggestion, task: null }, why, decisive, null);
  const moveTo = (target: StageFacts, lostReason: string | null, why: string, decisive: Factor) =>
    decide(
      { kind: "move_stage", fromStageId: stage.id, toStageId: target.id, toStageName: target.name, lostReason },
      why,
      decisive,
      target.followUpDays === null || target.isLost ? null : addDays(now, target.followUpDays),
    );

  // 1. A closed or paused deal needs nothing.
  if (deal.status !== "active" || stage.isWon || stage.isLost) {
    const state = deal.status !== "active" ? deal.status : stage.isWon ? "won" : "lost";
    return decide(
      { kind: "wait", until: null },
      `The deal is ${state}, so there is nothing to do.`,
      { name: "deal status", impact: 1, value: state },
      null,
    );
  }

  // 2. A new reply decides first.
  if (reply && replyClass) {
    const replyFactor: Factor = { name: "last reply", impact: 1, value: replyClass };
    if (!replyIsNew) {
      reasoning.push(`The last reply (${replyClass}) was already handled: the deal moved or was touched since.`);
      considered.push({ ...replyFactor, impact: 0 });
    } else {
      const confidence = reply.confidence ?? 1;
      switch (replyClass) {
        case "unsubscribe_request":
          return review(
            "unsubscribe_request",
            "Stop all outreach to the contact, and decide whether the deal is lost.",
            "The contact asked to unsubscribe; a person decides what happens to the deal.",
            replyFactor,
          );
        case "bounce_auto_reply":
          return review(
            "bounced",
            "Check the contact's email address or find another contact at the company.",
            "The last message bounced or drew an automatic reply, so no one read it.",
            replyFactor,
          );
        case "not_interested": {
          const lost = lostStage(input.pipelineStages);
          if (lost && confidence >= lostConfidence) {
            return moveTo(
              lost,
              "Replied not interested",
              `The contact replied not interested (confidence ${confidence.toFixed(2)}), so the deal moves to ${lost.name}.`,
              replyFactor,
            );
          }
          return review(
            "not_interested_unsure",
            "Read the reply and close the deal as lost if it is a no.",
            lost
              ? `The reply reads as not interested, but only at confidence ${confidence.toFixed(2)} (below ${lostConfidence}); a person confirms.`
              : "The contact replied not interested, but the pipeline has no lost stage to move the deal to.",
            replyFactor,
          );
        }
        case "interested": {
          const next = nextOpenStage(stage, input.pipelineStages);
          if (next) {
            return moveTo(
              next,
              null,
              `The contact replied interested, so the deal moves from ${stage.name} to ${next.name}.`,
              replyFactor,
            );
          }
          return review(
            "ready_to_close",
            "Close the deal: the contact is interested and this is the last open stage.",
            `The contact replied interested in ${stage.name}, the last open stage; closing as won is a person's call.`,
            replyFactor,
          );
        }
        case "question":
          return review(
            "question",
            "Answer the contact's question.",
            "The contact asked a question; an answer needs a person.",
            replyFactor,
          );
        case "referral":
          return review(
            "referral",
            "Add the person the contact referred you to and reach out to them.",
            "The contact referred you to someone else.",
            replyFactor,
          );
        case "out_of_office": {
          const back = reply.returnDate ? toMs(reply.returnDate) : null;
          if (back !== null && back > toMs(now)) {
            const until = addDays(back, 1);
            return decide(
              { kind: "wait", until },
              `The contact is out of office until ${toIso(back).slice(0, 10)}; the agent waits until the day after.`,
              replyFactor,
              until,
            );
          }
          const defaultBack = addDays(reply.at, outOfOfficeDays);
          if (back === null && toMs(defaultBack) > toMs(now)) {
            return decide(
              { kind: "wait", until: defaultBack },
              `The contact is out of office with no return date; the agent waits ${outOfOfficeDays} days from the reply.`,
              replyFactor,
              defaultBack,
            );
          }
          reasoning.push("The contact's out-of-office period is over.");
          considered.push({ ...replyFactor, impact: 0 });
          break;
        }
        case "other":
          return review(
            "unclassified_reply",
            "Read the contact's reply and decide the next step.",
            "The contact replied, but the reply fits no class the agent can act on.",
            replyFactor,
          );
      }
    }
  }

  // 3. A live sequence is already writing to the contact; its exit may say why it stopped.
  const sequence = input.sequence;
  if (sequence) {
    const sequenceFactor: Factor = { name: "sequence", impact: 1, value: sequence.exitReason ?? sequence.status };
    const named = sequence.sequenceName ? ` "${sequence.sequenceName}"` : "";
    if (sequence.status === "active") {
      const until = sequence.dueAt ? toIso(sequence.dueAt) : null;
      return decide(
        { kind: "wait", until },
        `The sequence${named} is active and sends the next step${until ? ` on ${until.slice(0, 10)}` : ""}; the agent does not write alongside it.`,
        sequenceFactor,
        until,
      );
    }
    if (sequence.status === "exited" && sequence.exitReason === "bounced") {
      return review(
        "bounced",
        "Check the contact's email address or find another contact at the company.",
        `The sequence${named} stopped because a message bounced.`,
        sequenceFactor,
      );
    }
    if (
      sequence.status === "exited" &&
      (sequence.exitReason === "unsubscribed" || sequence.exitReason === "do_not_contact")
    ) {
      return review(
        "unsubscribe_request",
        "Stop all outreach to the contact, and decide whether the deal is lost.",
        `The sequence${named} stopped because the contact ${sequence.exitReason === "unsubscribed" ? "unsubscribed" : "is marked do-not-contact"}.`,
        sequenceFactor,
      );
    }
    if (sequence.status === "exited" && sequence.exitReason === "meeting_booked") {
      const next = nextOpenStage(stage, input.pipelineStages);
      if (next) {
        return moveTo(
          next,
          null,
          `The contact booked a meeting, so the deal moves from ${stage.name} to ${next.name}.`,
          sequenceFactor,
        );
      }
      return review(
        "ready_to_close",
        "Close the deal: the contact booked a meeting and this is the last open stage.",
        `The contact booked a meeting in ${stage.name}, the last open stage; closing as won is a person's call.`,
        sequenceFactor,
      );
    }
    reasoning.push(
      sequence.status === "completed"
        ? `The sequence${named} finished without a reply.`
        : `The sequence${named} is ${sequence.status}${sequence.exitReason ? ` (${sequence.exitReason})` : ""}.`,
    );
    considered.push({ ...sequenceFactor, impact: 0 });
  }

  // 4. When is the next step due? A next action date someone set is the plan and wins over the
  // stage's cadence (the agent sets it too, from nextCheckAt); without one the cadence decides.
  const touchFactor: Factor = { name: "days since last touch", impact: 1, value: inputs.daysSinceTouch };
  const planned = deal.nextActionAt ? toIso(deal.nextActionAt) : null;
  if (planned !== null && toMs(planned) > toMs(now)) {
    return decide(
      { kind: "wait", until: planned },
      `The deal's next action is planned for ${planned.slice(0, 10)}; the agent waits for it.`,
      { name: "next action date", impact: 1, value: planned.slice(0, 10) },
      planned,
    );
  }
  const followUpAt = stage.followUpDays === null ? null : addDays(touchBase, stage.followUpDays);
  const followUpDue = followUpAt !== null && toMs(followUpAt) <= toMs(now);
  if (planned === null && !followUpDue) {
    const why =
      followUpAt === null
        ? `${stage.name} has no follow-up days and the deal no next action date, so nothing is due; the daily review lists it if it stalls.`
        : `Last touched ${dayCount(inputs.daysSinceTouch)} ago; ${stage.name} follows up after ${dayCount(stage.followUpDays!)}, so the next step is due on ${followUpAt.slice(0, 10)}.`;
    return decide({ kind: "wait", until: followUpAt }, why, touchFactor, followUpAt);
  }
  const dueWhy =
    planned !== null
      ? `The deal's next action date (${planned.slice(0, 10)}) has come.`
      : `Last touched ${dayCount(inputs.daysSinceTouch)} ago, past ${stage.name}'s ${stage.followUpDays} follow-up days.`;
  reasoning.push(dueWhy);
  considered.push(touchFactor);
  if (inputs.ignoredAutoActions.length > 0) {
    reasoning.push(`Auto-actions the agent does not know are left alone: ${inputs.ignoredAutoActions.join(", ")}.`);
  }

  // 5. Due: too many follow-ups, an inactive contact, then the stage's auto-actions.
  if (sentInStage >= maxFollowUps) {
    return review(
      "no_reply_after_follow_ups",
      "Call the contact, or close the deal as lost.",
      `${sentInStage} follow-ups in ${stage.name} drew no reply; more email will not help.`,
      { name: "follow-ups sent in stage", impact: 1, value: sentInStage },
    );
  }
  if (score?.level === "inactive") {
    return review(
      "inactive_contact",
      "Check whether the deal is still alive before writing again.",
      `The contact's score is ${score.value} (inactive); a follow-up would likely go unread.`,
      { name: "score", impact: 1, value: `${score.value} (${score.level})` },
    );
  }
  if (score) considered.push({ name: "score", impact: 0, value: `${score.value} (${score.level})` });
  const autoFactor = (name: string): Factor => ({ name: "stage auto-action", impact: 1, value: name });
  if (stage.autoActions.includes("send_follow_up_email")) {
    if (doNotContact) {
      return review(
        "do_not_contact",
        "Reach the company through another contact, or close the deal.",
        `${stage.name} sends a follow-up email, but the contact is marked do-not-contact.`,
        { name: "do not contact", impact: 1, value: true },
      );
    }
    const followUpNumber = sentInStage + 1;
    return decide(
      { kind: "send_email", contactId: deal.contactId ?? null, template: followUpTemplate, followUpNumber },
      `${stage.name} sends a follow-up email when one is due: this is follow-up ${followUpNumber} of at most ${maxFollowUps}.`,
      autoFactor("send_follow_up_email"),
      stage.followUpDays === null ? null : addDays(now, stage.followUpDays),
    );
  }
  if (stage.autoActions.includes("create_follow_up_task")) {
    return decide(
      {
        kind: "flag_for_review",
        reason: "follow_up_task",
        suggestion: `Follow up on ${deal.name}.`,
        task: { title: `Follow up: ${deal.name}`, dueAt: toIso(now) },
      },
      `${stage.name} asks a person to follow up, so the agent creates a follow-up task.`,
      autoFactor("create_follow_up_task"),
      null,
    );
  }
  return review(
    "follow_up_due",
    `Follow up on ${deal.name}.`,
    `${stage.name} has no automatic action, so a person follows up.`,
    touchFactor,
  );
}
