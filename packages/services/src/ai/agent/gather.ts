// The facts the pipeline agent decides a deal on, read from the tenant's rows: the deal's stage
// and pipeline (follow-up days, auto-actions), the contact's last reply and its class, the
// contact's latest sequence enrollment, the contact's lead score, the last touch either way,
// and the follow-ups the agent already sent in the stage (from its own decision log).
import {
  type DealAgentInput,
  type ScoreFacts,
  type SequenceFacts,
  type StageFacts,
  type StoredReplyClass,
  decisionReplyClasses,
} from "@crm/ai";
import {
  activities,
  aiAgentDecisions,
  aiScores,
  contacts,
  deals,
  inboundEmails,
  outreachMessages,
  pipelineStages,
  sequenceEnrollments,
  sequences,
} from "@crm/db";
import { and, asc, desc, eq, gte, inArray, isNotNull, lte } from "drizzle-orm";
import type { TenantContext } from "../../context";
import type { DealRow } from "../../deals/serialize";

type StageRow = typeof pipelineStages.$inferSelect;
type ContactRow = typeof contacts.$inferSelect;

const scoreLevels: readonly string[] = ["hot", "warm", "cold", "nurture", "inactive"];

/** Deals one run decides at most (the oldest due first); the rest wait for the next hour. */
export const agentDealsPerRun = 100;

/** Open deals whose next action date has come, the longest overdue first. */
export async function findDueDeals(ctx: TenantContext, now: Date, limit = agentDealsPerRun): Promise<DealRow[]> {
  return ctx.db.findMany(deals, {
    where: and(eq(deals.status, "active"), isNotNull(deals.nextActionAt), lte(deals.nextActionAt, now)),
    orderBy: [asc(deals.nextActionAt), asc(deals.id)],
    limit,
  });
}

export function stageFacts(row: StageRow): StageFacts {
  return {
    id: row.id,
    name: row.name,
    position: row.position,
    probability: row.probability,
    isWon: row.isWon,
    isLost: row.isLost,
    followUpDays: row.followUpDays,
    autoActions: row.autoActions,
  };
}

/** The pipelines' stages, read once per run. */
export async function stagesByPipeline(ctx: TenantContext, pipelineIds: string[]): Promise<Map<string, StageRow[]>> {
  const byPipeline = new Map<string, StageRow[]>();
  if (pipelineIds.length === 0) return byPipeline;
  const rows = await ctx.db.findMany(pipelineStages, {
    where: inArray(pipelineStages.pipelineId, [...new Set(pipelineIds)]),
  });
  for (const row of rows) byPipeline.set(row.pipelineId, [...(byPipeline.get(row.pipelineId) ?? []), row]);
  return byPipeline;
}

const latest = (...dates: (Date | null | undefined)[]): Date | null =>
  dates.reduce<Date | null>((found, at) => (at && (!found || at > found) ? at : found), null);

/** The reply's class as stored: the AI class when the engine classified it, else the rule class. */
function replyClassOf(row: typeof inboundEmails.$inferSelect): StoredReplyClass {
  const ai = row.aiClassification;
  if (ai && (decisionReplyClasses as readonly string[]).includes(ai)) return ai as StoredReplyClass;
  return row.classification;
}

export interface GatheredDeal {
  deal: DealRow;
  contact: ContactRow | null;
  stage: StageRow;
  input: DealAgentInput;
}

/** The engine's input for one deal; null when the deal's stage no longer exists. */
export async function gatherDealInput(
  ctx: TenantContext,
  deal: DealRow,
  stages: StageRow[],
  now: Date,
): Promise<GatheredDeal | null> {
  const stage = stages.find((s) => s.id === deal.stageId);
  if (!stage) return null;
  const contactId = deal.contactId;
  const [contact, reply, enrollment, score, dealActivity, contactActivity, lastSent, followUps] = await Promise.all([
    contactId ? ctx.db.findFirst(contacts, eq(contacts.id, contactId)) : undefined,
    contactId
      ? ctx.db.findMany(inboundEmails, {
          where: eq(inboundEmails.contactId, contactId),
          orderBy: [desc(inboundEmails.receivedAt), desc(inboundEmails.id)],
          limit: 1,
        })
      : [],
    contactId
      ? ctx.db.findMany(sequenceEnrollments, {
          where: eq(sequenceEnrollments.contactId, contactId),
          // The live enrollment before any ended one, then the newest.
          orderBy: [desc(inArray(sequenceEnrollments.status, ["active", "paused"])), desc(sequenceEnrollments.id)],
          limit: 1,
        })
      : [],
    contactId
      ? ctx.db.findFirst(
          aiScores,
          and(eq(aiScores.recordType, "contact"), eq(aiScores.recordId, contactId), eq(aiScores.kind, "lead_score"))!,
        )
      : undefined,
    ctx.db.findMany(activities, {
      where: and(eq(activities.recordType, "deal"), eq(activities.recordId, deal.id), lte(activities.occurredAt, now)),
      orderBy: desc(activities.occurredAt),
      limit: 1,
    }),
    contactId
      ? ctx.db.findMany(activities, {
          where: and(
            eq(activities.recordType, "contact"),
            eq(activities.recordId, contactId),
            lte(activities.occurredAt, now),
          ),
          orderBy: desc(activities.occurredAt),
          limit: 1,
        })
      : [],
    contactId
      ? ctx.db.findMany(outreachMessages, {
          where: and(eq(outreachMessages.contactId, contactId), eq(outreachMessages.status, "sent")),
          orderBy: desc(outreachMessages.sentAt),
          limit: 1,
        })
      : [],
    ctx.db.count(
      aiAgentDecisions,
      and(
        eq(aiAgentDecisions.dealId, deal.id),
        eq(aiAgentDecisions.type, "send_email"),
        eq(aiAgentDecisions.outcome, "applied"),
        gte(aiAgentDecisions.createdAt, deal.stageEnteredAt),
      )!,
    ),
  ]);
  const lastReply = reply[0];
  const live = enrollment[0];
  const sequence = live ? await ctx.db.findFirst(sequences, eq(sequences.id, live.sequenceId)) : undefined;
  const level = score?.level as ScoreFacts["level"] | undefined;
  const input: DealAgentInput = {
    now,
    deal: {
      id: deal.id,
      name: deal.name,
      status: deal.status,
      contactId: deal.contactId,
      stageEnteredAt: deal.stageEnteredAt,
      nextActionAt: deal.nextActionAt,
    },
    stage: stageFacts(stage),
    pipelineStages: stages.map(stageFacts),
    lastTouchAt: latest(
      dealActivity[0]?.occurredAt,
      contactActivity[0]?.occurredAt,
      lastSent[0]?.sentAt,
      lastReply?.receivedAt,
    ),
    lastReply: lastReply
      ? { class: replyClassOf(lastReply), at: lastReply.receivedAt, confidence: lastReply.aiConfidence }
      : null,
    sequence: live
      ? {
          status: live.status,
          exitReason: (live.exitReason as SequenceFacts["exitReason"]) ?? null,
          dueAt: live.dueAt,
          pausedAt: live.pausedAt,
          sequenceName: sequence?.name ?? null,
        }
      : null,
    score: score && level && scoreLevels.includes(level) ? { value: score.score, level } : null,
    followUpsSentInStage: followUps,
    doNotContact: contact?.doNotContact ?? false,
  };
  return { deal, contact: contact ?? null, stage, input };
}
