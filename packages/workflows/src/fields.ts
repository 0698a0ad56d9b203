// The fields a workflow may read (conditions, triggers, tokens) and write (update_field) on
// each object, with the kind that decides which operators fit. Names are the API's field
// names; a custom field is `customFields.<key>` and takes its kind from its definition.
import type { FieldKind, WorkflowObject, WorkflowTriggerType } from "./definition";

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

/** The built-in reply classes (@crm/outreach's rules), as an email.replied trigger and `reply.classification` name them. */
export const replyTriggerClasses = [
  "interested",
  "not_interested",
  "question",
  "out_of_office",
  "unsubscribe",
  "bounce",
  "referral",
  "other",
] as const;
/** The AI engine's reply classes (@crm/ai's replyClassNames). */
export const aiReplyClasses = [
  "interested",
  "not_interested",
  "question",
  "out_of_office",
  "unsubscribe_request",
  "bounce_auto_reply",
  "referral",
] as const;
/** The AI engine's suggested actions for a reply (@crm/ai's SuggestedActionType). */
export const aiReplyActionTypes = [
  "stop_sequence_create_task",
  "stop_sequence_mark_not_interested",
  "pause_sequence_answer_question",
  "pause_sequence_until",
  "unsubscribe_contact",
  "mark_email_invalid",
  "ignore_auto_reply",
  "enrol_referred_contact",
] as const;

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

/**
 * Fields of the event that started a run, readable by conditions of workflows with that
 * trigger (the record's own fields stay as they are): an email.replied event's `reply`, with
 * the rule class and the AI engine's class, confidence and suggested action. Never writable.
 */
export const eventFields: Partial<Record<WorkflowTriggerType, Record<string, FieldInfo>>> = {
  "email.replied": {
    "reply.classification": select(replyTriggerClasses, false),
    "reply.ai.classification": select(aiReplyClasses, false),
    "reply.ai.suggestedAction.type": select(aiReplyActionTypes, false),
    "reply.ai.confidence": number(false),
    "reply.subject": text(false),
    "reply.from": text(false),
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

/**
 * What `field` is on `object`, or null when the object has no such field. `reply.…` fields
 * exist only for a workflow whose trigger carries them (`trigger`, see eventFields).
 */
export function fieldInfo(
  object: WorkflowObject,
  field: string,
  customFields: CustomFieldInfo[],
  trigger?: WorkflowTriggerType,
): FieldInfo | null {
  if (field.includes(".") && !field.startsWith("customFields.")) {
    const fields = trigger ? eventFields[trigger] : undefined;
    return fields && Object.hasOwn(fields, field) ? fields[field]! : null;
  }
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
  if (field.includes(".")) {
    // An event field (reply.ai.classification): a path into the event's data.
    let value: unknown = record;
    for (const key of field.split(".")) {
      if (value === null || typeof value !== "object" || !Object.hasOwn(value, key)) return null;
      value = (value as Record<string, unknown>)[key];
    }
    return value ?? null;
  }
  return record[field] ?? null;
}

/** The field names of an object, for messages ("one of …"). */
export function fieldNames(object: WorkflowObject): string[] {
  return Object.keys(standardFields[object]);
}
