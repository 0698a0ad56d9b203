import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, json, tenantIdColumn, timestamp } from "./columns";

// What the AI engines said about a tenant's records, kept so a person can read the result
// and why: the engine, model and version that made it, its explanation and factors.

/**
 * What an output is about: an inbound email, a note or an activity (a call transcript), or the
 * contact a piece of content was generated for.
 */
export const aiSubjectTypes = ["inbound_email", "note", "activity", "contact"] as const;
export type AiSubjectType = (typeof aiSubjectTypes)[number];

export const aiCapabilities = ["sentiment", "reply_classification", "content"] as const;
export type AiCapability = (typeof aiCapabilities)[number];

export interface AiOutputFactor {
  name: string;
  impact: number;
  value?: string | number | boolean | null;
}

export const aiOutputs = sqliteTable(
  "ai_outputs",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    subjectType: text("subject_type", { enum: aiSubjectTypes }).notNull(),
    subjectId: text("subject_id").notNull(),
    capability: text("capability", { enum: aiCapabilities }).notNull(),
    result: json<Record<string, unknown>>("result").notNull(),
    explanation: text("explanation").notNull(),
    factors: json<AiOutputFactor[]>("factors").notNull(),
    /** "builtin" or "workers-ai". */
    engine: text("engine", { enum: ["builtin", "workers-ai"] }).notNull(),
    model: text("model").notNull(),
    modelVersion: text("model_version").notNull(),
    /** Content only: the sequence step whose variant was the template (null when typed in). */
    templateId: text("template_id"),
    variantKey: text("variant_key"),
    /** A person's rating of the output, 1 to 5 stars, with an optional comment. */
    rating: integer("rating"),
    ratingComment: text("rating_comment"),
    ratedBy: text("rated_by"),
    ratedAt: timestamp("rated_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("ai_outputs_subject_idx").on(t.tenantId, t.subjectType, t.subjectId, t.createdAt),
    // Usage and ratings per template.
    index("ai_outputs_template_idx").on(t.tenantId, t.capability, t.templateId, t.variantKey),
  ],
);
