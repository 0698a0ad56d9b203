import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, json, tenantIdColumn, timestamp, updatedAt } from "./columns";

/**
 * The outbox of domain events (`contact.created`, `deal.won`, ...). Services write a row in
 * the same D1 batch as the change it describes, so an event exists exactly when its change
 * committed. A dispatcher fans pending rows out to consumers and stamps `dispatched_at`:
 * webhook subscriptions today; a workflow engine can read the same rows later.
 */
export const domainEvents = sqliteTable(
  "domain_events",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    type: text("type").notNull(),
    entity: text("entity").notNull(),
    entityId: text("entity_id").notNull(),
    /** The record as it is after the change (as it was, for a deletion). */
    data: json<Record<string, unknown>>("data").notNull(),
    /** For updates: the changed fields' previous values. */
    previous: json<Record<string, unknown> | null>("previous"),
    actorType: text("actor_type", { enum: ["user", "api_key", "system"] }).notNull(),
    actorId: text("actor_id").notNull(),
    requestId: text("request_id"),
    createdAt: createdAt(),
    dispatchedAt: timestamp("dispatched_at"),
    /**
     * When the workflow dispatcher took the event (its own marker: webhooks and workflows
     * progress independently). A column, not a per-tenant cursor over ids: ids are made
     * before their batch commits, so a cursor could pass an event committed a moment later.
     */
    workflowsAt: timestamp("workflows_at"),
    /** Workflow runs in the chain that caused this event (0: a person, key or import). */
    depth: integer("depth").notNull().default(0),
  },
  (t) => [
    index("domain_events_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
    // Only undispatched rows: the dispatcher and the Cron sweep read this small index.
    index("domain_events_pending_idx")
      .on(t.tenantId, t.id)
      .where(sql`dispatched_at is null`),
    index("domain_events_workflows_pending_idx")
      .on(t.tenantId, t.id)
      .where(sql`workflows_at is null`),
  ],
);

/** Where a tenant wants its events POSTed, and the secret(s) that sign them. */
export const webhookSubscriptions = sqliteTable(
  "webhook_subscriptions",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    url: text("url").notNull(),
    description: text("description"),
    /** Event type names, or `*` for all of them. */
    eventTypes: json<string[]>("event_types").notNull(),
    active: integer("active", { mode: "boolean" }).notNull(),
    /** `whsec_` + base64, per the Standard Webhooks spec. Needed in clear to sign. */
    secret: text("secret").notNull(),
    /** After a rotation, the old secret keeps signing alongside until this expires. */
    previousSecret: text("previous_secret"),
    previousSecretExpiresAt: timestamp("previous_secret_expires_at"),
    /** Deliveries that failed for good in a row; reset by any success. */
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    disabledAt: timestamp("disabled_at"),
    disabledReason: text("disabled_reason"),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("webhook_subscriptions_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
    index("webhook_subscriptions_tenant_active_idx").on(t.tenantId, t.active),
  ],
);

export const webhookDeliveryStatuses = ["pending", "delivering", "succeeded", "failed"] as const;

/**
 * One event for one subscription. Its id is the `webhook-id` header (the same on every
 * attempt, so receivers can dedupe) and its payload is fixed when it is created, so every
 * attempt sends the same bytes.
 */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    subscriptionId: text("subscription_id")
      .notNull()
      .references(() => webhookSubscriptions.id, { onDelete: "cascade" }),
    eventId: text("event_id").notNull(),
    eventType: text("event_type").notNull(),
    payload: text("payload").notNull(),
    status: text("status", { enum: webhookDeliveryStatuses }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at"),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    completedAt: timestamp("completed_at"),
  },
  (t) => [
    // A dispatcher run twice creates each delivery once.
    uniqueIndex("webhook_deliveries_event_idx").on(t.tenantId, t.subscriptionId, t.eventId),
    index("webhook_deliveries_subscription_idx").on(t.tenantId, t.subscriptionId, t.createdAt, t.id),
    // Unfinished deliveries only: the Cron sweep finds overdue ones here.
    index("webhook_deliveries_unfinished_idx")
      .on(t.tenantId, t.nextAttemptAt)
      .where(sql`status in ('pending', 'delivering')`),
  ],
);

export const webhookAttemptOutcomes = ["succeeded", "retrying", "failed", "refused"] as const;

/** Every HTTP attempt of a delivery: the delivery log. */
export const webhookAttempts = sqliteTable(
  "webhook_attempts",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    deliveryId: text("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    subscriptionId: text("subscription_id").notNull(),
    attempt: integer("attempt").notNull(),
    manual: integer("manual", { mode: "boolean" }).notNull(),
    url: text("url").notNull(),
    statusCode: integer("status_code"),
    durationMs: integer("duration_ms").notNull(),
    /** At most 1 KB of the response body. */
    responseExcerpt: text("response_excerpt"),
    error: text("error"),
    outcome: text("outcome", { enum: webhookAttemptOutcomes }).notNull(),
    nextRetryAt: timestamp("next_retry_at"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("webhook_attempts_delivery_idx").on(t.tenantId, t.deliveryId, t.attempt)],
);
