import { sql } from "drizzle-orm";
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, json, tenantIdColumn, timestamp, updatedAt } from "./columns";

export const lifecycleStages = ["subscriber", "lead", "mql", "sql", "opportunity", "customer", "evangelist"] as const;
export type LifecycleStage = (typeof lifecycleStages)[number];
export const consentStatuses = ["opted_in", "opted_out", "unknown"] as const;
export const leadStages = ["lead", "mql", "sql", "opportunity", "customer", "lost"] as const;
export type LeadStage = (typeof leadStages)[number];
export const dealStatuses = ["active", "won", "lost", "paused"] as const;
export const taskStatuses = ["open", "in_progress", "done", "cancelled"] as const;
export const taskPriorities = ["low", "normal", "high", "urgent"] as const;
export const activityTypes = ["call", "meeting", "email", "note"] as const;
/** Objects that custom fields, tags, notes, tasks, views and the timeline attach to. */
export const recordTypes = ["contact", "company", "lead", "deal", "task"] as const;
export type RecordType = (typeof recordTypes)[number];
export const customFieldTypes = [
  "text",
  "number",
  "date",
  "boolean",
  "select",
  "multi_select",
  "url",
  "email",
] as const;

export type CustomFieldValues = Record<string, string | number | boolean | string[] | null>;
export interface EmailAddress {
  address: string;
  primary: boolean;
  label?: string | undefined;
}
export interface PhoneNumber {
  number: string;
  label?: string | undefined;
}
export interface PostalAddress {
  street?: string | undefined;
  city?: string | undefined;
  region?: string | undefined;
  postalCode?: string | undefined;
  country?: string | undefined;
}

export const companies = sqliteTable(
  "companies",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    name: text("name").notNull(),
    /** Lower-cased host without scheme or www: unique per tenant. */
    domain: text("domain"),
    industry: text("industry"),
    size: text("size"),
    annualRevenue: real("annual_revenue"),
    website: text("website"),
    domainAuthority: integer("domain_authority"),
    ownerId: text("owner_id"),
    tags: json<string[]>("tags")
      .notNull()
      .$defaultFn(() => []),
    customFields: json<CustomFieldValues>("custom_fields")
      .notNull()
      .$defaultFn(() => ({})),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("companies_tenant_domain_idx").on(t.tenantId, t.domain),
    index("companies_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
    index("companies_tenant_updated_idx").on(t.tenantId, t.updatedAt, t.id),
    index("companies_tenant_name_idx").on(t.tenantId, t.name, t.id),
    index("companies_tenant_owner_idx").on(t.tenantId, t.ownerId, t.createdAt, t.id),
  ],
);

export const contacts = sqliteTable(
  "contacts",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    firstName: text("first_name"),
    lastName: text("last_name"),
    /** lower(last name, first name): the name sort key. */
    sortName: text("sort_name").notNull(),
    emails: json<EmailAddress[]>("emails")
      .notNull()
      .$defaultFn(() => []),
    /** The primary email, normalised: unique per tenant (duplicate detection). */
    primaryEmail: text("primary_email"),
    phones: json<PhoneNumber[]>("phones")
      .notNull()
      .$defaultFn(() => []),
    title: text("title"),
    companyId: text("company_id"),
    lifecycleStage: text("lifecycle_stage", { enum: lifecycleStages }),
    lifecycleStageChangedAt: timestamp("lifecycle_stage_changed_at"),
    leadStatus: text("lead_status"),
    source: text("source"),
    ownerId: text("owner_id"),
    tags: json<string[]>("tags")
      .notNull()
      .$defaultFn(() => []),
    consentStatus: text("consent_status", { enum: consentStatuses }).notNull().default("unknown"),
    consentChangedAt: timestamp("consent_changed_at"),
    consentSource: text("consent_source"),
    doNotContact: integer("do_not_contact", { mode: "boolean" }).notNull().default(false),
    timeZone: text("time_zone"),
    address: json<PostalAddress>("address"),
    socialLinks: json<Record<string, string>>("social_links")
      .notNull()
      .$defaultFn(() => ({})),
    customFields: json<CustomFieldValues>("custom_fields")
      .notNull()
      .$defaultFn(() => ({})),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("contacts_tenant_email_idx").on(t.tenantId, t.primaryEmail),
    index("contacts_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
    index("contacts_tenant_updated_idx").on(t.tenantId, t.updatedAt, t.id),
    index("contacts_tenant_name_idx").on(t.tenantId, t.sortName, t.id),
    index("contacts_tenant_owner_idx").on(t.tenantId, t.ownerId, t.createdAt, t.id),
    index("contacts_tenant_lifecycle_idx").on(t.tenantId, t.lifecycleStage, t.createdAt, t.id),
    index("contacts_tenant_company_idx").on(t.tenantId, t.companyId, t.createdAt, t.id),
    // Whole-tenant walks in id order (rescoring chunks, model training pages): without it SQLite
    // took the tenant's email index and sorted every row of the tenant for each page.
    index("contacts_tenant_id_idx").on(t.tenantId, t.id),
  ],
);

/** Every lifecycle stage a contact entered, and when. */
export const contactLifecycleHistory = sqliteTable(
  "contact_lifecycle_history",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    contactId: text("contact_id").notNull(),
    fromStage: text("from_stage", { enum: lifecycleStages }),
    toStage: text("to_stage", { enum: lifecycleStages }).notNull(),
    changedBy: text("changed_by").notNull(),
    changedAt: timestamp("changed_at").notNull(),
  },
  (t) => [index("contact_lifecycle_tenant_contact_idx").on(t.tenantId, t.contactId, t.changedAt)],
);

export const leads = sqliteTable(
  "leads",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    firstName: text("first_name"),
    lastName: text("last_name"),
    email: text("email"),
    phone: text("phone"),
    companyName: text("company_name"),
    companyDomain: text("company_domain"),
    title: text("title"),
    stage: text("stage", { enum: leadStages }).notNull().default("lead"),
    stageChangedAt: timestamp("stage_changed_at").notNull(),
    lostReason: text("lost_reason"),
    source: text("source"),
    estimatedValue: real("estimated_value"),
    ownerId: text("owner_id"),
    tags: json<string[]>("tags")
      .notNull()
      .$defaultFn(() => []),
    customFields: json<CustomFieldValues>("custom_fields")
      .notNull()
      .$defaultFn(() => ({})),
    convertedAt: timestamp("converted_at"),
    convertedContactId: text("converted_contact_id"),
    convertedCompanyId: text("converted_company_id"),
    convertedDealId: text("converted_deal_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("leads_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
    index("leads_tenant_updated_idx").on(t.tenantId, t.updatedAt, t.id),
    index("leads_tenant_stage_idx").on(t.tenantId, t.stage, t.createdAt, t.id),
    index("leads_tenant_owner_idx").on(t.tenantId, t.ownerId, t.createdAt, t.id),
    index("leads_tenant_value_idx").on(t.tenantId, t.estimatedValue, t.id),
    index("leads_tenant_email_idx").on(t.tenantId, t.email),
  ],
);

export const leadStageHistory = sqliteTable(
  "lead_stage_history",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    leadId: text("lead_id").notNull(),
    fromStage: text("from_stage", { enum: leadStages }),
    toStage: text("to_stage", { enum: leadStages }).notNull(),
    reason: text("reason"),
    changedBy: text("changed_by").notNull(),
    changedAt: timestamp("changed_at").notNull(),
  },
  (t) => [index("lead_stage_history_tenant_lead_idx").on(t.tenantId, t.leadId, t.changedAt)],
);

export const pipelines = sqliteTable(
  "pipelines",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    name: text("name").notNull(),
    position: integer("position").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("pipelines_tenant_name_idx").on(t.tenantId, t.name),
    index("pipelines_tenant_position_idx").on(t.tenantId, t.position),
  ],
);

export const pipelineStages = sqliteTable(
  "pipeline_stages",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    pipelineId: text("pipeline_id").notNull(),
    name: text("name").notNull(),
    position: integer("position").notNull(),
    /** Win probability (0-100) used by the weighted forecast. */
    probability: integer("probability").notNull().default(0),
    isWon: integer("is_won", { mode: "boolean" }).notNull().default(false),
    isLost: integer("is_lost", { mode: "boolean" }).notNull().default(false),
    followUpDays: integer("follow_up_days"),
    autoActions: json<string[]>("auto_actions")
      .notNull()
      .$defaultFn(() => []),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("pipeline_stages_tenant_pipeline_idx").on(t.tenantId, t.pipelineId, t.position)],
);

export const deals = sqliteTable(
  "deals",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    name: text("name").notNull(),
    contactId: text("contact_id"),
    companyId: text("company_id"),
    pipelineId: text("pipeline_id").notNull(),
    stageId: text("stage_id").notNull(),
    stageEnteredAt: timestamp("stage_entered_at").notNull(),
    status: text("status", { enum: dealStatuses }).notNull().default("active"),
    value: real("value").notNull().default(0),
    currency: text("currency").notNull().default("USD"),
    expectedCloseDate: text("expected_close_date"),
    closedAt: timestamp("closed_at"),
    probability: integer("probability"),
    nextActionAt: timestamp("next_action_at"),
    lostReason: text("lost_reason"),
    ownerId: text("owner_id"),
    tags: json<string[]>("tags")
      .notNull()
      .$defaultFn(() => []),
    customFields: json<CustomFieldValues>("custom_fields")
      .notNull()
      .$defaultFn(() => ({})),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("deals_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
    index("deals_tenant_updated_idx").on(t.tenantId, t.updatedAt, t.id),
    // Board columns read (tenant, pipeline, stage) by value; the board's and the stats' totals
    // (count, value, value x probability, by created_at) are read from the index alone.
    index("deals_tenant_pipeline_stage_idx").on(
      t.tenantId,
      t.pipelineId,
      t.stageId,
      t.value,
      t.probability,
      t.createdAt,
    ),
    // Open and closed deals for the stats, read from the index alone.
    index("deals_tenant_status_idx").on(t.tenantId, t.status, t.closedAt, t.createdAt, t.value, t.probability),
    index("deals_tenant_owner_idx").on(t.tenantId, t.ownerId, t.createdAt, t.id),
    index("deals_tenant_value_idx").on(t.tenantId, t.value, t.id),
    index("deals_tenant_contact_idx").on(t.tenantId, t.contactId),
    index("deals_tenant_company_idx").on(t.tenantId, t.companyId),
    index("deals_tenant_next_action_idx").on(t.tenantId, t.nextActionAt),
  ],
);

export const dealStageHistory = sqliteTable(
  "deal_stage_history",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    dealId: text("deal_id").notNull(),
    pipelineId: text("pipeline_id").notNull(),
    stageId: text("stage_id").notNull(),
    enteredAt: timestamp("entered_at").notNull(),
    leftAt: timestamp("left_at"),
    changedBy: text("changed_by").notNull(),
  },
  (t) => [index("deal_stage_history_tenant_deal_idx").on(t.tenantId, t.dealId, t.enteredAt)],
);

export const tasks = sqliteTable(
  "tasks",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    title: text("title").notNull(),
    description: text("description"),
    dueAt: timestamp("due_at"),
    priority: text("priority", { enum: taskPriorities }).notNull().default("normal"),
    status: text("status", { enum: taskStatuses }).notNull().default("open"),
    assigneeId: text("assignee_id"),
    recordType: text("record_type", { enum: recordTypes }),
    recordId: text("record_id"),
    completedAt: timestamp("completed_at"),
    ownerId: text("owner_id"),
    tags: json<string[]>("tags")
      .notNull()
      .$defaultFn(() => []),
    customFields: json<CustomFieldValues>("custom_fields")
      .notNull()
      .$defaultFn(() => ({})),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("tasks_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
    index("tasks_tenant_due_idx").on(t.tenantId, t.status, t.dueAt, t.id),
    index("tasks_tenant_assignee_idx").on(t.tenantId, t.assigneeId, t.status, t.dueAt),
    index("tasks_tenant_record_idx").on(t.tenantId, t.recordType, t.recordId, t.createdAt),
  ],
);

export const notes = sqliteTable(
  "notes",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    recordType: text("record_type", { enum: recordTypes }).notNull(),
    recordId: text("record_id").notNull(),
    body: text("body").notNull(),
    authorId: text("author_id").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("notes_tenant_record_idx").on(t.tenantId, t.recordType, t.recordId, t.createdAt)],
);

/** Calls, meetings and logged emails on a record. */
export const activities = sqliteTable(
  "activities",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    type: text("type", { enum: activityTypes }).notNull(),
    recordType: text("record_type", { enum: recordTypes }).notNull(),
    recordId: text("record_id").notNull(),
    subject: text("subject").notNull(),
    body: text("body"),
    occurredAt: timestamp("occurred_at").notNull(),
    durationMinutes: integer("duration_minutes"),
    outcome: text("outcome"),
    actorId: text("actor_id").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("activities_tenant_record_idx").on(t.tenantId, t.recordType, t.recordId, t.occurredAt)],
);

export const customFieldDefinitions = sqliteTable(
  "custom_field_definitions",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    objectType: text("object_type", { enum: recordTypes }).notNull(),
    /** The key in `customFields` (snake_case, unique per object). */
    key: text("key").notNull(),
    label: text("label").notNull(),
    type: text("type", { enum: customFieldTypes }).notNull(),
    options: json<string[]>("options"),
    required: integer("required", { mode: "boolean" }).notNull().default(false),
    position: integer("position").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("custom_fields_tenant_object_key_idx").on(t.tenantId, t.objectType, t.key)],
);

export const savedViews = sqliteTable(
  "saved_views",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    userId: text("user_id").notNull(),
    objectType: text("object_type", { enum: recordTypes }).notNull(),
    name: text("name").notNull(),
    /** The list query: filters, sort, q. */
    query: json<Record<string, string>>("query").notNull(),
    columns: json<string[]>("columns"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("saved_views_tenant_user_idx").on(t.tenantId, t.userId, t.objectType)],
);

/** One row per (record, tag): makes the tag filter an index lookup. */
export const recordTags = sqliteTable(
  "record_tags",
  {
    tenantId: tenantIdColumn(),
    recordType: text("record_type", { enum: recordTypes }).notNull(),
    tag: text("tag").notNull(),
    recordId: text("record_id").notNull(),
  },
  (t) => [
    uniqueIndex("record_tags_tenant_type_tag_record_idx").on(t.tenantId, t.recordType, t.tag, t.recordId),
    index("record_tags_tenant_record_idx").on(t.tenantId, t.recordId),
  ],
);

/**
 * Each tenant's records of one type own a range of search_documents rowids,
 * [id * 2^32, (id + 1) * 2^32): a search hands FTS5 its range, which skips every other
 * tenant's (and type's) entries inside the index instead of reading them to drop them.
 */
export const searchSpaces = sqliteTable(
  "search_spaces",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenantId: tenantIdColumn(),
    recordType: text("record_type", { enum: recordTypes }).notNull(),
  },
  (t) => [uniqueIndex("search_spaces_tenant_type_idx").on(t.tenantId, t.recordType)],
);

/**
 * The FTS5 index's document table: gives each record a stable integer rowid for the
 * `search_index` virtual table (created in a hand-written migration), so a record's
 * entry is replaced or removed by rowid rather than by scanning the index. The rowid is
 * taken in the record's search space (searchSpaces) when the record is first indexed.
 */
export const searchDocuments = sqliteTable(
  "search_documents",
  {
    rowid: integer("rowid").primaryKey({ autoIncrement: true }),
    tenantId: tenantIdColumn(),
    recordType: text("record_type", { enum: recordTypes }).notNull(),
    recordId: text("record_id").notNull(),
    /**
     * The record's own created_at (set by the indexing statements from the record's row;
     * never changes). A search listed newest or oldest first walks this index and stops
     * after a page of matches, instead of looking every match's record up to sort them.
     */
    createdAt: timestamp("created_at"),
    /**
     * Set when the entry was indexed after an entry of its space created later than it
     * (by created_at, then record id), or its created_at is unknown or changed. While a
     * space has none, its rowid order is its creation order, so a search listed by
     * creation takes a page of matches straight from FTS5 in rowid order.
     */
    outOfOrder: integer("out_of_order", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    uniqueIndex("search_documents_tenant_record_idx").on(t.tenantId, t.recordId),
    index("search_documents_tenant_type_created_idx").on(t.tenantId, t.recordType, t.createdAt, t.recordId),
    // Only the few out-of-order entries: "has this space any?" is one seek.
    index("search_documents_tenant_type_out_of_order_idx")
      .on(t.tenantId, t.recordType)
      .where(sql`${t.outOfOrder} = 1`),
  ],
);
