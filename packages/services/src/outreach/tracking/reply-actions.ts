// What a reply does to the sequence and the CRM: the suggested action of the reply's class,
// the AI engine's when it read the reply (it wins where it and the rules disagree), else the
// rule class's equivalent. Each act is written through the same queries a person's own
// change uses (audit entry, history, domain events).
import { type ReplyClassName, type SuggestedActionType, suggestedActionFor } from "@crm/ai";
import { contacts, type EnrollmentStatusReason } from "@crm/db";
import type { BatchItem } from "drizzle-orm/batch";
import { eq } from "drizzle-orm";
import type { TenantContext } from "../../context";
import { applyContactInput, blankContact } from "../../contacts/input";
import type { ContactRow } from "../../contacts/public";
import { companyNameOf, contactSaveQueries } from "../../contacts/write";
import { newTaskRow, taskCreateQueries } from "../../tasks/tasks";
import { isSuppressed } from "../consent";
import { enrollNewContactQuery } from "../enrollments";
import type { OutreachMessageRow } from "./shared";

/** The AI engine's reading of a reply, as stored on it and sent with `email.replied`. */
export interface ReplyAi {
  classification: string;
  confidence: number;
  suggestedAction: {
    type: string;
    description: string;
    resumeOn?: string;
    referredContact?: { name: string | null; email: string | null };
  };
  aiOutputId: string;
}

/** The reply's class and action that decide, and which reading they came from. */
export interface ReplyDecision {
  decidedBy: "ai" | "rules";
  classification: string;
  action: ReplyAi["suggestedAction"] & { type: SuggestedActionType | "stop_sequence" };
}

/** The rule classes in the AI engine's terms (so both readings map to one set of actions). */
const ruleToAiClass: Record<string, ReplyClassName | null> = {
  interested: "interested",
  not_interested: "not_interested",
  question: "question",
  out_of_office: "out_of_office",
  unsubscribe: "unsubscribe_request",
  bounce: "bounce_auto_reply",
  referral: "referral",
  other: null,
};

/** Days an away reply pauses a sequence when the reply names no return date (the engine's default). */
export const awayPauseDays = 7;

/** The lead status a declining reply sets. */
export const notInterestedLeadStatus = "Not interested";

export function decideReply(
  ruleClass: string,
  ai: ReplyAi | null,
  reply: { from: string; subject: string | null; text: string; receivedAt: Date },
): ReplyDecision {
  if (ai) {
    return {
      decidedBy: "ai",
      classification: ai.classification,
      action: ai.suggestedAction as ReplyDecision["action"],
    };
  }
  const asAi = ruleToAiClass[ruleClass] ?? null;
  if (!asAi) {
    return {
      decidedBy: "rules",
      classification: ruleClass,
      action: { type: "stop_sequence", description: "Stop the sequence: the contact replied." },
    };
  }
  const action = suggestedActionFor(asAi, { ...reply, receivedAt: reply.receivedAt });
  return {
    decidedBy: "rules",
    classification: ruleClass,
    action: {
      type: action.type,
      description: action.description,
      ...(action.resumeOn ? { resumeOn: action.resumeOn } : {}),
      ...(action.referredContact ? { referredContact: action.referredContact } : {}),
    },
  };
}

/** How the decided action changes the enrollment the reply answers. */
export type EnrollmentEffect = "exit" | "pause" | "none" | "unsubscribe" | "invalid_address";

export function enrollmentEffectOf(type: ReplyDecision["action"]["type"]): EnrollmentEffect {
  switch (type) {
    case "pause_sequence_until":
      return "pause";
    case "ignore_auto_reply":
      return "none";
    case "unsubscribe_contact":
      return "unsubscribe";
    case "mark_email_invalid":
      return "invalid_address";
    // A question is answered by a person (the task), so the sequence stops as for any reply.
    case "pause_sequence_answer_question":
    case "stop_sequence_create_task":
    case "stop_sequence_mark_not_interested":
    case "enrol_referred_contact":
    case "stop_sequence":
      return "exit";
  }
}

export function statusReasonOf(
  decision: ReplyDecision,
  inboundEmailId: string,
  ruleClass: string,
  description: string,
): EnrollmentStatusReason {
  return {
    inboundEmailId,
    decidedBy: decision.decidedBy,
    classification: decision.classification,
    ruleClassification: ruleClass,
    action: decision.action.type,
    description,
  };
}

/** When an away reply's pause ends: the start (UTC) of the return day, or the default days after receipt. */
export function pauseEndOf(decision: ReplyDecision, receivedAt: Date): Date {
  const resumeOn = decision.action.resumeOn;
  if (resumeOn && /^\d{4}-\d{2}-\d{2}$/.test(resumeOn)) {
    const at = new Date(`${resumeOn}T00:00:00Z`);
    if (!Number.isNaN(at.getTime()) && at > receivedAt) return at;
  }
  return new Date(receivedAt.getTime() + awayPauseDays * 86_400_000);
}

const nameOf = (contact: ContactRow) =>
  [contact.firstName, contact.lastName].filter(Boolean).join(" ") || contact.primaryEmail || "the contact";

export interface ReplyActs {
  queries: BatchItem<"sqlite">[];
  /** What was done, for the enrollment's status reason. */
  done: string[];
  taskId: string | null;
  referredContactId: string | null;
  referredEnrollmentId: string | null;
}

/**
 * The CRM acts of a reply beyond the enrollment: a task for the owner (interested, a question),
 * the lead status (not interested), the referred contact created and enrolled (referral).
 * Statements only, for the reply's batch.
 */
export async function replyActQueries(
  ctx: TenantContext,
  decision: ReplyDecision,
  message: OutreachMessageRow,
  contact: ContactRow | undefined,
  reply: { inboundEmailId: string; subject: string | null; at: Date },
): Promise<ReplyActs> {
  const acts: ReplyActs = { queries: [], done: [], taskId: null, referredContactId: null, referredEnrollmentId: null };
  if (!contact) return acts;
  const type = decision.action.type;
  if (type === "stop_sequence_create_task" || type === "pause_sequence_answer_question") {
    const question = type === "pause_sequence_answer_question";
    const task = await newTaskRow(ctx, {
      title: question ? `Answer ${nameOf(contact)}'s question` : `Follow up with ${nameOf(contact)}: interested`,
      description: `${question ? "They asked a question" : "They replied with interest"} in reply to "${
        message.subject ?? "(no subject)"
      }" (reply ${reply.inboundEmailId}${reply.subject ? `: ${reply.subject}` : ""}). ${decision.action.description}`,
      dueAt: reply.at,
      priority: "high",
      recordType: "contact",
      recordId: contact.id,
      assigneeId: contact.ownerId,
      ownerId: contact.ownerId,
    });
    acts.queries.push(...(await taskCreateQueries(ctx, task)));
    acts.taskId = task.id;
    acts.done.push(`task ${task.id} created`);
  }
  if (type === "stop_sequence_mark_not_interested" && contact.leadStatus !== notInterestedLeadStatus) {
    const { row } = applyContactInput(contact, { leadStatus: notInterestedLeadStatus }, reply.at, "body");
    acts.queries.push(...contactSaveQueries(ctx, contact, row, { lifecycle: null, companyName: null, reindex: false }));
    acts.done.push(`lead status set to ${notInterestedLeadStatus}`);
  }
  if (type === "enrol_referred_contact") {
    const referred = await referredContactQueries(ctx, decision, message, contact, reply.at);
    acts.queries.push(...referred.queries);
    acts.done.push(referred.done);
    acts.referredContactId = referred.contactId;
    acts.referredEnrollmentId = referred.enrollmentId;
  }
  return acts;
}

/**
 * A referral names someone else: a new address becomes a contact (source referral, the
 * referrer's company and owner) and is enrolled in the same sequence unless its address is
 * suppressed (an unknown consent is what the sequence already sends to: consent is checked
 * again before every send). An address the tenant already has is left as it is.
 */
async function referredContactQueries(
  ctx: TenantContext,
  decision: ReplyDecision,
  message: OutreachMessageRow,
  referrer: ContactRow,
  at: Date,
): Promise<{ queries: BatchItem<"sqlite">[]; done: string; contactId: string | null; enrollmentId: string | null }> {
  const referred = decision.action.referredContact;
  const email = referred?.email?.trim().toLowerCase() ?? "";
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    return { queries: [], done: "no referred address found", contactId: null, enrollmentId: null };
  const existing = await ctx.db.findFirst(contacts, eq(contacts.primaryEmail, email));
  if (existing)
    return {
      queries: [],
      done: `referred ${email} is already contact ${existing.id}`,
      contactId: existing.id,
      enrollmentId: null,
    };
  const [firstName, ...rest] = (referred?.name ?? "").trim().split(/\s+/).filter(Boolean);
  const { row, lifecycleChange } = applyContactInput(
    blankContact(ctx, at),
    {
      firstName: firstName ?? null,
      lastName: rest.join(" ") || null,
      emails: [{ address: email, primary: true }],
      source: "referral",
      companyId: referrer.companyId,
      ownerId: referrer.ownerId,
    },
    at,
    "body",
  );
  const queries = contactSaveQueries(ctx, null, row, {
    lifecycle: lifecycleChange,
    companyName: await companyNameOf(ctx, row.companyId),
    reindex: true,
  });
  const suppressed = await isSuppressed(ctx, email);
  const enrollment =
    !suppressed && message.sequenceId
      ? await enrollNewContactQuery(ctx, message.sequenceId, row, {
          source: "referral",
          campaignId: message.campaignId,
          enrolledBy: ctx.actor.id,
          now: at,
        })
      : null;
  if (enrollment) queries.push(enrollment.query);
  const why = suppressed
    ? `not enrolled: the address is suppressed (${suppressed.reason})`
    : enrollment
      ? `enrolled as ${enrollment.id}`
      : "not enrolled: the sequence is not active";
  return {
    queries,
    done: `referred contact ${row.id} created (${email}), ${why}`,
    contactId: row.id,
    enrollmentId: enrollment?.id ?? null,
  };
}
