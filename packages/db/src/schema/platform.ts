import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, json, tenantIdColumn, timestamp } from "./columns";

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    actorType: text("actor_type", { enum: ["user", "api_key", "system"] }).notNull(),
    actorId: text("actor_id").notNull(),
    /** How the change arrived: the dashboard/a person's token, an API key, or background work. */
    via: text("via", { enum: ["ui", "api", "system"] }).notNull(),
    action: text("action", { enum: ["create", "update", "delete"] }).notNull(),
    entity: text("entity").notNull(),
    entityId: text("entity_id").notNull(),
    before: json<Record<string, unknown> | null>("before"),
    after: json<Record<string, unknown> | null>("after"),
    requestId: text("request_id"),
    createdAt: createdAt(),
  },
  (t) => [
    index("audit_log_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
    index("audit_log_tenant_entity_idx").on(t.tenantId, t.entity, t.entityId),
    index("audit_log_tenant_actor_idx").on(t.tenantId, t.actorId, t.createdAt),
  ],
);

/** Stored responses of POSTs sent with an Idempotency-Key, replayed for 24 h. */
export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    tenantId: tenantIdColumn(),
    key: text("key").notNull(),
    /** SHA-256 of method, path and body: the same key with another request is refused. */
    requestHash: text("request_hash").notNull(),
    status: integer("status").notNull(),
    body: text("body").notNull(),
    contentType: text("content_type").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.key] }),
    index("idempotency_keys_tenant_created_idx").on(t.tenantId, t.createdAt),
  ],
);

/**
 * Mail the product sends. The dev transport stops here (readable at /api/v1/dev/outbox);
 * real transports record the provider's id and status. System mail (password reset)
 * has no tenant.
 */
export const outboxMessages = sqliteTable(
  "outbox_messages",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id"),
    kind: text("kind").notNull(),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html"),
    transport: text("transport").notNull(),
    /** The job that produced it: a redelivered job finds its message and sends nothing twice. */
    dedupeKey: text("dedupe_key").notNull().unique(),
    createdAt: createdAt(),
  },
  // No index beyond the id and dedupe key: the dev outbox lists every tenant's mail newest first
  // (listOutbox), which a (tenant_id, ...) index cannot serve, and each send writes a row.
);

/** Jobs that exhausted their retries, kept for inspection and replay. */
export const deadLetterJobs = sqliteTable(
  "dead_letter_jobs",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id"),
    messageId: text("message_id").notNull().unique(),
    type: text("type").notNull(),
    body: json<unknown>("body").notNull(),
    attempts: integer("attempts").notNull(),
    createdAt: createdAt(),
    replayedAt: timestamp("replayed_at"),
  },
  (t) => [index("dead_letter_jobs_tenant_created_idx").on(t.tenantId, t.createdAt)],
);
