import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, json, tenantIdColumn, timestamp, updatedAt } from "./columns";

// The definition's shape lives in @crm/workflows (zod); stored here as JSON.
type Definition = { object: string; trigger: { type: string } & Record<string, unknown> } & Record<string, unknown>;

export const executionStatusValues = ["running", "waiting", "succeeded", "failed", "cancelled", "skipped"] as const;
export const stepStatusValues = ["running", "succeeded", "failed", "waiting", "skipped"] as const;
export const executionCauses = ["event", "manual", "schedule", "date"] as const;

/**
 * A workflow: name, active flag and its current definition (a copy of its latest version,
 * so the dispatcher reads one table). Deleting marks `deleted_at` and cancels its waiting
 * runs; the history stays readable to nobody (every read filters deleted ones out).
 */
export const workflows = sqliteTable(
  "workflows",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    name: text("name").notNull(),
    description: text("description"),
    active: integer("active", { mode: "boolean" }).notNull(),
    /** When it was last activated: events older than that never start it. */
    activatedAt: timestamp("activated_at"),
    version: integer("version").notNull(),
    object: text("object").notNull(),
    triggerType: text("trigger_type").notNull(),
    definition: json<Definition>("definition").notNull(),
    /** `whsec_…`: signs its call_webhook requests (Standard Webhooks). */
    signingSecret: text("signing_secret").notNull(),
    /** schedule triggers: the next due run. */
    nextRunAt: timestamp("next_run_at"),
    /** date.relative triggers: up to when records have been checked. */
    dateCheckedAt: timestamp("date_checked_at"),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: timestamp("deleted_at"),
  },
  (t) => [
    index("workflows_tenant_created_idx").on(t.tenantId, t.id),
    // The dispatcher's and the Cron tick's question: which workflows are on, by trigger.
    index("workflows_active_idx")
      .on(t.tenantId, t.triggerType)
      .where(sql`active = 1 and deleted_at is null`),
    index("workflows_schedule_due_idx")
      .on(t.tenantId, t.nextRunAt)
      .where(sql`active = 1 and deleted_at is null and next_run_at is not null`),
  ],
);

/** Every saved definition: a run stays on the version it started with. */
export const workflowVersions = sqliteTable(
  "workflow_versions",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    workflowId: text("workflow_id").notNull(),
    version: integer("version").notNull(),
    definition: json<Definition>("definition").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("workflow_versions_idx").on(t.tenantId, t.workflowId, t.version)],
);

/**
 * One run of a workflow on one record (or none, for a schedule without records). `dedupe_key`
 * makes a trigger start a run once however often it is seen: `event:<eventId>`,
 * `date:<recordId>:<date value>`, `schedule:<run time>:<recordId>`.
 */
export const workflowExecutions = sqliteTable(
  "workflow_executions",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    workflowId: text("workflow_id").notNull(),
    version: integer("version").notNull(),
    status: text("status", { enum: executionStatusValues }).notNull(),
    causeKind: text("cause_kind", { enum: executionCauses }).notNull(),
    eventId: text("event_id"),
    eventType: text("event_type"),
    recordType: text("record_type").notNull(),
    recordId: text("record_id"),
    /** How many workflow runs led to the event that started this one (0: a person or key did). */
    depth: integer("depth").notNull().default(0),
    /** The index of the next action to run. */
    nextStep: integer("next_step").notNull().default(0),
    dedupeKey: text("dedupe_key"),
    startedAt: timestamp("started_at").notNull(),
    finishedAt: timestamp("finished_at"),
    resumeAt: timestamp("resume_at"),
    error: text("error"),
  },
  (t) => [
    index("workflow_executions_history_idx").on(t.tenantId, t.workflowId, t.id),
    uniqueIndex("workflow_executions_dedupe_idx").on(t.tenantId, t.workflowId, t.dedupeKey),
    // Loop protection counts a (workflow, record) pair's runs in the last hour.
    index("workflow_executions_record_idx").on(t.tenantId, t.workflowId, t.recordId, t.startedAt),
    // Running runs only: the Cron tick finds stalled ones (lost queue message, dead worker) here.
    index("workflow_executions_running_idx")
      .on(t.tenantId, t.startedAt)
      .where(sql`status = 'running'`),
    // Waiting runs only: the Cron tick finds the due ones here.
    index("workflow_executions_waiting_idx")
      .on(t.tenantId, t.resumeAt)
      .where(sql`status = 'waiting'`),
  ],
);

/** One executed action of a run. Unique per (execution, index): a redelivered message never runs a step twice. */
export const workflowSteps = sqliteTable(
  "workflow_steps",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    executionId: text("execution_id").notNull(),
    index: integer("step_index").notNull(),
    actionType: text("action_type").notNull(),
    status: text("status", { enum: stepStatusValues }).notNull(),
    startedAt: timestamp("started_at").notNull(),
    finishedAt: timestamp("finished_at"),
    output: json<Record<string, unknown> | null>("output"),
    error: text("error"),
  },
  (t) => [uniqueIndex("workflow_steps_idx").on(t.tenantId, t.executionId, t.index)],
);

/** Where a round-robin assign action is in its list of members. */
export const workflowRoundRobin = sqliteTable(
  "workflow_round_robin",
  {
    tenantId: tenantIdColumn(),
    workflowId: text("workflow_id").notNull(),
    actionIndex: integer("action_index").notNull(),
    /** Assignments made so far; the next goes to userIds[position % userIds.length]. */
    position: integer("position").notNull().default(0),
  },
  (t) => [uniqueIndex("workflow_round_robin_idx").on(t.tenantId, t.workflowId, t.actionIndex)],
);

/** In-app notifications for one member (the notify action). */
export const notifications = sqliteTable(
  "notifications",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    userId: text("user_id").notNull(),
    message: text("message").notNull(),
    recordType: text("record_type"),
    recordId: text("record_id"),
    workflowId: text("workflow_id"),
    executionId: text("execution_id"),
    readAt: timestamp("read_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("notifications_user_idx").on(t.tenantId, t.userId, t.id),
    index("notifications_unread_idx")
      .on(t.tenantId, t.userId)
      .where(sql`read_at is null`),
  ],
);
