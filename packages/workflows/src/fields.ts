// The fields a workflow may read (conditions, triggers, tokens) and write (update_field) on
// each object, with the kind that decides which operators fit. Names are the API's field
// names; a custom field is `customFields.<key>` and takes its kind from its definition.
import type { FieldKind, WorkflowObject } from "./definition";

export interface FieldInfo {
  kind: FieldKind;
  /** update_field may set it (through the object's update route). */
  writable: boolean;
  /** The values a select field takes (null: any string, e.g. ids). */
  options?: readonly string[] | null;
  /** The value is a member's user id. */
  user?: true;
}

/** A custom field definition as the tenant made it (the subset that matters here). */
export interface CustomFieldInfo {
  key: string;
  type: "text" | "number" | "date" | "boolean" | "select" | "multi_select" | "url" | "email";
  options?: string[] | null | undefined;
}

// Kept in step with the database enums (packages/db/src/schema/crm.ts); this package has no I/O deps.
const lifecycleStages = ["subscriber", "lead", "mql", "sql", "opportunity", "customer", "evangelist"];
const leadStages = ["lead", "mql", "sql", "opportunity", "customer", "lost"];
const dealStatuses = ["active", "won", "lost", "paused"];
const taskStatuses = ["open", "in_progress", "done", "cancelled"];
const taskPriorities = ["low", "normal", "high", "urgent"];
const recordTypes = ["contact", "company", "lead", "deal", "task"];

const text = (writable = true): FieldInfo => ({ kind: "text", writable });
const number = (writable = true): FieldInfo => ({ kind: "number", writable });
const date = (writable = false): FieldInfo => ({ kind: "date", writable });
const select = (options: readonly string[] | null, writable = true): FieldInfo => ({
  kind: "select",
  writable,
  options,
});
const owner: FieldInfo = { kind: "select", writable: true, options: null, user: true };
const tags: FieldInfo = { kind: "tags", writable: true };
const stamps = { createdAt: date(), updatedAt: date() };

export const standardFields: Record<WorkflowObject, Record<string, FieldInfo>> = {
  contact: {
    firstName: text(),
    lastName: text(),
    title: text(),
    companyId: select(null),
    lifecycleStage: select(lifecycleStages),
    lifecycleStageChangedAt: date(),
    leadStatus: text(),
    source: text(),
    ownerId: owner,
    tags,
    doNotContact: { kind: "boolean", writable: true },
    timeZone: text(),
    ...stamps,
  },
  company: {
    name: text(),
    domain: text(),
    industry: text(),
    size: text(),
    annualRevenue: number(),
    website: text(),
    domainAuthority: number(),
    ownerId: owner,
    tags,
    ...stamps,
  },
  lead: {
    firstName: text(),
    lastName: text(),
    email: text(),
    phone: text(),
    companyName: text(),
    companyDomain: text(),
    title: text(),
    stage: select(leadStages),
    stageChangedAt: date(),
    lostReason: text(),
    source: text(),
    estimatedValue: number(),
    ownerId: owner,
    tags,
    convertedAt: date(),
    ...stamps,
  },
  deal: {
    name: text(),
    contactId: select(null),
    companyId: select(null),
    pipelineId: select(null, false),
    stageId: select(null, false),
    stageEnteredAt: date(),
    status: select(dealStatuses),
    value: number(),
    currency: text(),
    expectedCloseDate: date(true),
    closedAt: date(),
    probability: number(),
    nextActionAt: date(true),
    lostReason: text(),
    ownerId: owner,
    tags,
    ...stamps,
  },
  task: {
    title: text(),
    description: text(),
    dueAt: date(true),
    priority: select(taskPriorities),
    status: select(taskStatuses),
    assigneeId: { kind: "select", writable: true, options: null, user: true },
    recordType: select(recordTypes),
    recordId: select(null),
    completedAt: date(),
    ownerId: owner,
    tags,
    ...stamps,
  },
};

const customKinds: Record<CustomFieldInfo["type"], FieldKind> = {
  text: "text",
  url: "text",
  email: "text",
  number: "number",
  date: "date",
  boolean: "boolean",
  select: "select",
  multi_select: "tags",
};

/** What `field` is on `object`, or null when the object has no such field. */
export function fieldInfo(object: WorkflowObject, field: string, customFields: CustomFieldInfo[]): FieldInfo | null {
  if (field.startsWith("customFields.")) {
    const key = field.slice("customFields.".length);
    const definition = customFields.find((d) => d.key === key);
    if (!definition) return null;
    return { kind: customKinds[definition.type], writable: true, options: definition.options ?? null };
  }
  return Object.hasOwn(standardFields[object], field) ? standardFields[object][field]! : null;
}

/** The field's value in a record as the API shows it (`customFields.<key>` reads inside customFields). */
export function readField(record: Record<string, unknown>, field: string): unknown {
  if (field.startsWith("customFields.")) {
    const custom = record.customFields as Record<string, unknown> | null | undefined;
    return custom?.[field.slice("customFields.".length)] ?? null;
  }
  return record[field] ?? null;
}

/** The field names of an object, for messages ("one of …"). */
export function fieldNames(object: WorkflowObject): string[] {
  return Object.keys(standardFields[object]);
}
