import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, json, tenantIdColumn } from "./columns";

// What the AI engines said about a tenant's records, kept so a person can read the result
// and why: the engine, model and version that made it, its explanation and factors.

/** What an output is about: an inbound email, a note or an activity (a call transcript). */
export const aiSubjectTypes = ["inbound_email", "note", "activity"] as const;
export type AiSubjectType = (typeof aiSubjectTypes)[number];

export const aiCapabilities = ["sentiment", "reply_classification"] as const;
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
    createdAt: createdAt(),
  },
  (t) => [index("ai_outputs_subject_idx").on(t.tenantId, t.subjectType, t.subjectId, t.createdAt)],
);
