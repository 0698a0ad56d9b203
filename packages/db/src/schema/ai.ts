import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, json, tenantIdColumn, timestamp } from "./columns";

export const aiModelKinds = ["lead_score", "churn"] as const;
export type AiModelKind = (typeof aiModelKinds)[number];
/** Records a tenant's models learn from and score. */
export const aiObjectTypes = ["contact"] as const;
export type AiObjectType = (typeof aiObjectTypes)[number];
/** Records that carry scores (and that rescoring jobs run over): contacts, and leads scored by the contacts' model. */
export const aiScoredRecordTypes = ["contact", "lead"] as const;
export type AiScoredRecordType = (typeof aiScoredRecordTypes)[number];
export const aiModelStatuses = ["active", "retired"] as const;
export type AiModelStatus = (typeof aiModelStatuses)[number];
export const aiModelTriggers = ["api", "cron"] as const;
export const aiScoreChanges = ["scored", "override", "override_cleared"] as const;
export const aiRescoreStatuses = ["queued", "running", "completed", "failed"] as const;
export type AiRescoreStatus = (typeof aiRescoreStatuses)[number];
/** Which records a rescoring job walks: every one the kind covers, or only those changed since their score. */
export const aiRescoreModes = ["all", "stale"] as const;
export type AiRescoreMode = (typeof aiRescoreModes)[number];
/** Who or what queued a rescoring job: a person (or API key), a model (re)training, the hourly Cron. */
export const aiRescoreTriggers = ["person", "retrain", "schedule"] as const;
export type AiRescoreTrigger = (typeof aiRescoreTriggers)[number];

/** What the caller named as the outcome a model learns: a field's values, or the record's deals. */
export type AiLabelDefinition = { source: "field"; field: string; positiveValues: string[] } | { source: "deals" };

/**
 * One trained model of a tenant: learnt from that tenant's own records only, with the outcome
 * it predicts, the fields it read, the JSON the built-in engine scores with, and its holdout
 * figures. A new training retires the tenant's previous model of the same kind and object.
 */
export const aiModels = sqliteTable(
  "ai_models",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    kind: text("kind", { enum: aiModelKinds }).notNull(),
    objectType: text("object_type", { enum: aiObjectTypes }).notNull(),
    label: json<AiLabelDefinition>("label").notNull(),
    /** Fields offered to the encoder (`title`, `cf.plan`, …); the ones it kept are in `model`. */
    fields: json<string[]>("fields").notNull(),
    engine: text("engine").notNull(),
    model: text("model").notNull(),
    version: text("version").notNull(),
    /** The @crm/ai ScoringModel. */
    modelJson: json<unknown>("model_json").notNull(),
    /** Training summary: candidates, chosen settings, feature count. */
    stats: json<Record<string, unknown>>("stats").notNull(),
    holdoutAuc: real("holdout_auc"),
    holdout: json<Record<string, number> | null>("holdout"),
    /** Records read, and those with a usable label. */
    rowsRead: integer("rows_read").notNull(),
    labelledRows: integer("labelled_rows").notNull(),
    positiveRows: integer("positive_rows").notNull(),
    trainedAt: timestamp("trained_at").notNull(),
    trainedBy: text("trained_by").notNull(),
    trigger: text("trigger", { enum: aiModelTriggers }).notNull(),
    status: text("status", { enum: aiModelStatuses }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("ai_models_tenant_trained_idx").on(t.tenantId, t.trainedAt, t.id),
    index("ai_models_tenant_kind_idx").on(t.tenantId, t.kind, t.objectType, t.status),
  ],
);

/**
 * A record's current score of one kind with everything behind it: the rule components, the
 * model's probability, the explanation and factors, which engine and model made it, and a
 * person's override (which wins) with their reason.
 */
export const aiScores = sqliteTable(
  "ai_scores",
  {
    tenantId: tenantIdColumn(),
    recordType: text("record_type", { enum: aiScoredRecordTypes }).notNull(),
    recordId: text("record_id").notNull(),
    kind: text("kind", { enum: aiModelKinds }).notNull(),
    /** 0-100 as shown (the override when there is one). */
    score: integer("score").notNull(),
    /** The computed score before any override. */
    computedScore: integer("computed_score").notNull(),
    probability: real("probability"),
    level: text("level").notNull(),
    ruleScore: integer("rule_score"),
    modelScore: integer("model_score"),
    components: json<unknown>("components").notNull(),
    qualification: text("qualification"),
    explanation: text("explanation").notNull(),
    factors: json<unknown[]>("factors").notNull(),
    engine: text("engine").notNull(),
    model: text("model").notNull(),
    version: text("version").notNull(),
    modelId: text("model_id"),
    scoredAt: timestamp("scored_at").notNull(),
    overrideScore: integer("override_score"),
    overrideReason: text("override_reason"),
    overrideBy: text("override_by"),
    overrideAt: timestamp("override_at"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.recordType, t.recordId, t.kind] }),
    index("ai_scores_tenant_kind_score_idx").on(t.tenantId, t.kind, t.score),
  ],
);

/** Every change of a record's score, appended and never rewritten. */
export const aiScoreHistory = sqliteTable(
  "ai_score_history",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    recordType: text("record_type", { enum: aiScoredRecordTypes }).notNull(),
    recordId: text("record_id").notNull(),
    kind: text("kind", { enum: aiModelKinds }).notNull(),
    change: text("change", { enum: aiScoreChanges }).notNull(),
    score: integer("score").notNull(),
    level: text("level").notNull(),
    probability: real("probability"),
    modelId: text("model_id"),
    engine: text("engine").notNull(),
    model: text("model").notNull(),
    version: text("version").notNull(),
    reason: text("reason"),
    actorId: text("actor_id").notNull(),
    recordedAt: timestamp("recorded_at").notNull(),
  },
  (t) => [index("ai_score_history_tenant_record_idx").on(t.tenantId, t.recordType, t.recordId, t.recordedAt)],
);

/** A bulk rescoring run: queued, done chunk by chunk, its progress readable while it runs. */
export const aiRescoreJobs = sqliteTable(
  "ai_rescore_jobs",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    kind: text("kind", { enum: aiModelKinds }).notNull(),
    /** The records being scored now: a lead-score job does the contacts, then the leads. */
    objectType: text("object_type", { enum: aiScoredRecordTypes }).notNull(),
    status: text("status", { enum: aiRescoreStatuses }).notNull(),
    mode: text("mode", { enum: aiRescoreModes }).notNull().default("all"),
    trigger: text("trigger", { enum: aiRescoreTriggers }).notNull().default("person"),
    /** Records to score, counted when the job was queued (a stale job: at most its tick's cap). */
    total: integer("total").notNull(),
    scored: integer("scored").notNull().default(0),
    chunksDone: integer("chunks_done").notNull().default(0),
    /** The actor that queued it (services' Actor): chunks act and audit as them. */
    startedBy: json<Record<string, unknown>>("started_by").notNull(),
    failureReason: text("failure_reason"),
    createdAt: createdAt(),
    finishedAt: timestamp("finished_at"),
  },
  (t) => [
    index("ai_rescore_jobs_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
    // At most one unfinished job a retraining or the Cron queued per tenant and kind, even when two race.
    uniqueIndex("ai_rescore_jobs_tenant_kind_automatic_idx")
      .on(t.tenantId, t.kind)
      .where(sql`status in ('queued', 'running') and "trigger" <> 'person'`),
  ],
);

/** A rescoring chunk written: inserted in the chunk's batch, so a redelivered chunk rolls back whole. */
export const aiRescoreChunks = sqliteTable(
  "ai_rescore_chunks",
  {
    tenantId: tenantIdColumn(),
    jobId: text("job_id").notNull(),
    chunkIndex: integer("chunk_index").notNull(),
    rows: integer("rows").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.jobId, t.chunkIndex] })],
);
