// Stored AI outputs: the sentiment of notes, activities and inbound emails, the AI class of
// inbound replies and content generated for a contact, each with its explanation, factors and
// the engine that made it, and a person's rating of it once given. A
// negative sentiment tells the record's owner (a notification) and subscribers
// (`sentiment.negative`), in the same batch as the output.
import type { Explained, Sentiment } from "@crm/ai";
import {
  type AiCapability,
  type AiSubjectType,
  activities,
  aiOutputs,
  inboundEmails,
  newId,
  notes,
  notifications,
  type RecordType,
} from "@crm/db";
import { ApiError } from "@crm/errors";
import { and, desc, eq } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { TenantContext } from "../context";
import { domainEventQueries } from "../events/record";
import { canSeeParent, findParentRecord } from "../timeline/parent-record";
import type { AiProviders } from "./providers";
import type { PublicNote } from "../notes/notes";
import type { PublicActivity } from "../activities/activities";

type AiOutputRow = typeof aiOutputs.$inferSelect;

export function publicAiOutput(row: AiOutputRow) {
  return {
    id: row.id,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    capability: row.capability,
    result: row.result,
    explanation: row.explanation,
    factors: row.factors,
    engine: { engine: row.engine, model: row.model, version: row.modelVersion },
    template: row.templateId ? { id: row.templateId, variantKey: row.variantKey } : null,
    rating:
      row.rating === null
        ? null
        : {
            stars: row.rating,
            comment: row.ratingComment,
            ratedBy: row.ratedBy,
            ratedAt: row.ratedAt?.toISOString() ?? null,
          },
    createdAt: row.createdAt.toISOString(),
  };
}
export type PublicAiOutput = ReturnType<typeof publicAiOutput>;

/** The row for one explained result about a subject. */
export function aiOutputRow(
  ctx: TenantContext,
  subject: { type: AiSubjectType; id: string },
  capability: AiCapability,
  explained: Explained<object>,
  at = new Date(),
): AiOutputRow {
  return {
    id: newId("aiOutput"),
    tenantId: ctx.tenant.id,
    subjectType: subject.type,
    subjectId: subject.id,
    capability,
    result: explained.result as Record<string, unknown>,
    explanation: explained.explanation,
    factors: explained.factors.map((f) => ({
      name: f.name,
      impact: f.impact,
      ...(f.value !== undefined ? { value: f.value } : {}),
    })),
    engine: explained.engine.engine,
    model: explained.engine.model,
    modelVersion: explained.engine.version,
    templateId: null,
    variantKey: null,
    rating: null,
    ratingComment: null,
    ratedBy: null,
    ratedAt: null,
    createdAt: at,
  };
}

export function insertAiOutputQuery(ctx: TenantContext, row: AiOutputRow) {
  const { tenantId: _tenantId, ...values } = row;
  return ctx.db.insertQuery(aiOutputs, values);
}

/** What a sentiment is about: the text, and the record it sits on (whose owner is told). */
export interface SentimentSubject {
  type: AiSubjectType;
  id: string;
  text: string;
  record: { type: RecordType; id: string } | null;
}

export const negativeSentimentLabels: readonly Sentiment["label"][] = ["negative", "very_negative"];

const subjectWords: Record<AiSubjectType, string> = {
  inbound_email: "an email reply",
  note: "a note",
  activity: "an activity",
  contact: "content for a contact",
};

function excerpt(text: string, length = 80): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= length ? flat : `${flat.slice(0, length - 1).trimEnd()}…`;
}

/**
 * The statements that store a sentiment and, when it is negative, notify the record's owner
 * and record `sentiment.negative`. The caller adds them to its batch (or runs them alone).
 */
export async function sentimentQueries(
  ctx: TenantContext,
  subject: SentimentSubject,
  sentiment: Explained<Sentiment>,
): Promise<{ output: AiOutputRow; queries: BatchItem<"sqlite">[] }> {
  const output = aiOutputRow(ctx, subject, "sentiment", sentiment);
  const queries: BatchItem<"sqlite">[] = [insertAiOutputQuery(ctx, output)];
  if (!negativeSentimentLabels.includes(sentiment.result.label)) return { output, queries };

  const record = subject.record && (await findParentRecord(ctx, subject.record.type, subject.record.id));
  const ownerId = record?.ownerId ?? null;
  const label = sentiment.result.label === "very_negative" ? "Very negative" : "Negative";
  if (ownerId) {
    queries.push(
      ctx.db.insertQuery(notifications, {
        id: newId("notification"),
        userId: ownerId,
        message: `${label} sentiment (score ${sentiment.result.score}) in ${subjectWords[subject.type]}: "${excerpt(subject.text)}"`,
        recordType: subject.record!.type,
        recordId: subject.record!.id,
        workflowId: null,
        executionId: null,
        readAt: null,
        createdAt: output.createdAt,
      }),
    );
  }
  queries.push(
    ...domainEventQueries(ctx, [
      {
        type: "sentiment.negative",
        entity: subject.type,
        entityId: subject.id,
        data: {
          aiOutputId: output.id,
          subjectType: subject.type,
          subjectId: subject.id,
          recordType: subject.record?.type ?? null,
          recordId: subject.record?.id ?? null,
          ownerId,
          label: sentiment.result.label,
          score: sentiment.result.score,
          urgency: sentiment.result.urgency.level,
          explanation: sentiment.explanation,
          engine: sentiment.engine,
        },
        previous: null,
      },
    ]),
  );
  return { output, queries };
}

/**
 * The sentiment of a text being written, as statements for the write's own batch: the text
 * and its reading commit together. No statements for an empty text or without providers.
 */
export async function sentimentWriteQueries(
  ctx: TenantContext,
  providers: AiProviders | undefined,
  subject: SentimentSubject,
): Promise<BatchItem<"sqlite">[]> {
  if (!providers || subject.text.trim() === "") return [];
  const sentiment = await providers.sentiment.analyse(subject.text);
  return (await sentimentQueries(ctx, subject, sentiment)).queries;
}

/** Removes what was stored about a subject, for the batch that deletes it. */
export function deleteAiOutputsQuery(ctx: TenantContext, subjectType: AiSubjectType, subjectId: string) {
  return ctx.db.deleteQuery(
    aiOutputs,
    and(eq(aiOutputs.subjectType, subjectType), eq(aiOutputs.subjectId, subjectId))!,
  );
}

/** Whether the caller may see the subject: its record must be visible to them. */
async function subjectVisible(ctx: TenantContext, type: AiSubjectType, id: string): Promise<boolean> {
  let record: { type: RecordType; id: string } | null;
  if (type === "contact") {
    record = { type: "contact", id };
  } else if (type === "note") {
    const row = await ctx.db.findFirst(notes, eq(notes.id, id));
    if (!row) return false;
    record = { type: row.recordType, id: row.recordId };
  } else if (type === "activity") {
    const row = await ctx.db.findFirst(activities, eq(activities.id, id));
    if (!row) return false;
    record = { type: row.recordType, id: row.recordId };
  } else {
    const row = await ctx.db.findFirst(inboundEmails, eq(inboundEmails.id, id));
    if (!row) return false;
    record = row.contactId ? { type: "contact", id: row.contactId } : null;
  }
  if (!record) return true;
  const parent = await findParentRecord(ctx, record.type, record.id);
  return !!parent && (await canSeeParent(ctx, record.type, parent));
}

/**
 * The outputs stored about one subject, newest first. A subject that is unknown, another
 * tenant's or on a record hidden from the caller is a 404.
 */
export async function listAiOutputs(ctx: TenantContext, subject: { subjectType: AiSubjectType; subjectId: string }) {
  if (!(await subjectVisible(ctx, subject.subjectType, subject.subjectId))) {
    throw new ApiError("NOT_FOUND", `No ${subject.subjectType} has the id ${subject.subjectId}`);
  }
  const rows = await ctx.db.findMany(aiOutputs, {
    where: and(eq(aiOutputs.subjectType, subject.subjectType), eq(aiOutputs.subjectId, subject.subjectId)),
    orderBy: [desc(aiOutputs.createdAt), desc(aiOutputs.id)],
    limit: 100,
  });
  return { data: rows.map(publicAiOutput) };
}

async function findVisibleAiOutput(ctx: TenantContext, id: string): Promise<AiOutputRow> {
  const row = await ctx.db.findFirst(aiOutputs, eq(aiOutputs.id, id));
  if (!row || !(await subjectVisible(ctx, row.subjectType, row.subjectId))) {
    throw new ApiError("NOT_FOUND", `No AI output has the id ${id}`);
  }
  return row;
}

/** One stored output with its rating; unknown, another tenant's or about a hidden record is a 404. */
export async function getAiOutput(ctx: TenantContext, id: string): Promise<PublicAiOutput> {
  return publicAiOutput(await findVisibleAiOutput(ctx, id));
}

export interface RateAiOutputRequest {
  /** 1 to 5 stars (thumbs down is 1, thumbs up is 5). */
  stars: number;
  comment?: string | null | undefined;
}

/**
 * A person's rating of an output. Rating again replaces the earlier rating (the latest word
 * counts); the ranking of templates averages these ratings.
 */
export async function rateAiOutput(ctx: TenantContext, id: string, input: RateAiOutputRequest) {
  await findVisibleAiOutput(ctx, id);
  const comment = input.comment?.trim() ? input.comment.trim() : null;
  const [row] = await ctx.db.update(
    aiOutputs,
    { rating: input.stars, ratingComment: comment, ratedBy: ctx.actor.id, ratedAt: new Date() },
    eq(aiOutputs.id, id),
  );
  return publicAiOutput(row!);
}

/** The AI reading of an inbound reply, beside outreach's rule class; null until it was classified. */
export function replyAiClass(row: typeof inboundEmails.$inferSelect) {
  if (!row.aiClassification || row.aiConfidence === null || !row.aiSuggestedAction || !row.aiOutputId) return null;
  return {
    classification: row.aiClassification,
    confidence: row.aiConfidence,
    suggestedAction: row.aiSuggestedAction,
    aiOutputId: row.aiOutputId,
  };
}

/** A note's text, on its record. */
export function noteSentimentSubject(note: PublicNote): SentimentSubject {
  return { type: "note", id: note.id, text: note.body, record: { type: note.recordType, id: note.recordId } };
}

/** An activity's text (a call transcript, meeting minutes, an email logged), on its record. */
export function activitySentimentSubject(activity: PublicActivity): SentimentSubject {
  return {
    type: "activity",
    id: activity.id,
    text: activity.body ?? "",
    record: { type: activity.recordType, id: activity.recordId },
  };
}
