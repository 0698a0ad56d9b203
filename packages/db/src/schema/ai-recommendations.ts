import { sql } from "drizzle-orm";
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, json, tenantIdColumn, timestamp, updatedAt } from "./columns";
import type { AiOutputFactor } from "./ai-outputs";

// Next best actions offered to people as recommendations, with their life cycle. The hourly
// generation keeps one pending recommendation per record and action type, and says why.

export const aiRecommendationRecordTypes = ["contact", "lead", "deal"] as const;
export type AiRecommendationRecordType = (typeof aiRecommendationRecordTypes)[number];
export const aiRecommendationStatuses = ["pending", "viewed", "accepted", "dismissed", "completed"] as const;
export type AiRecommendationStatus = (typeof aiRecommendationStatuses)[number];

export const aiRecommendations = sqliteTable(
  "ai_recommendations",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    recordType: text("record_type", { enum: aiRecommendationRecordTypes }).notNull(),
    recordId: text("record_id").notNull(),
    /** The next best action's type (`follow_up_stalled_deal`, …). */
    type: text("type").notNull(),
    title: text("title").notNull(),
    priority: integer("priority").notNull(),
    confidence: real("confidence").notNull(),
    explanation: text("explanation").notNull(),
    factors: json<AiOutputFactor[]>("factors").notNull(),
    engine: text("engine").notNull(),
    model: text("model").notNull(),
    version: text("version").notNull(),
    status: text("status", { enum: aiRecommendationStatuses }).notNull(),
    /** When the action should be done (the due date it answers, or when it was suggested). */
    dueAt: timestamp("due_at").notNull(),
    expiresAt: timestamp("expires_at").notNull(),
    /** The generation run (its scheduled time) that last wrote it: runs drop the pending ones they did not reach. */
    generatedAt: timestamp("generated_at").notNull(),
    statusChangedBy: text("status_changed_by"),
    statusChangedAt: timestamp("status_changed_at"),
    viewedAt: timestamp("viewed_at"),
    acceptedAt: timestamp("accepted_at"),
    dismissedAt: timestamp("dismissed_at"),
    completedAt: timestamp("completed_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // One pending recommendation per record and type: a rerun updates it instead of adding one.
    uniqueIndex("ai_recommendations_one_pending_idx")
      .on(t.tenantId, t.recordType, t.recordId, t.type)
      .where(sql`status = 'pending'`),
    index("ai_recommendations_tenant_record_idx").on(t.tenantId, t.recordType, t.recordId),
    index("ai_recommendations_tenant_status_idx").on(t.tenantId, t.status, t.priority, t.id),
    index("ai_recommendations_tenant_priority_idx").on(t.tenantId, t.priority, t.id),
  ],
);
