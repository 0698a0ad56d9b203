/**
 * What the dashboard knows about each CRM object: its API path, fields (how to read, show, edit
 * and sort them), list filters and default columns. List pages, detail pages and forms all read
 * these definitions, so a field is described once. Shapes follow the API's /openapi.json.
 */

export type ObjectKey = "contacts" | "companies" | "leads" | "deals" | "tasks";
/** The API's singular name (`objectType` of custom fields and saved views). */
export type ObjectType = "contact" | "company" | "lead" | "deal" | "task";

/** A record as the API returns it; fields are read through FieldDef.read. */
export type ApiRecord = { id: string; customFields?: Record<string, unknown>; [key: string]: unknown };

export type FieldKind =
  | "text"
  | "longtext"
  | "email"
  | "phone"
  | "url"
  | "number"
  | "money"
  | "date"
  | "datetime"
  | "boolean"
  | "select"
  | "multi_select"
  | "tags"
  /** A member's user id (owner, assignee): shown by name. */
  | "member"
  /** A record id of another object: shown by its title, linked. */
  | "company"
  | "contact"
  | "pipeline"
  | "stage";

export interface FieldDef {
  key: string;
  label: string;
  kind: FieldKind;
  options?: readonly string[];
  /** The API's `sort` name when the list can sort by it. */
  sort?: string;
  /** Reads the value from a record; default `record[key]`. */
  read?: (record: ApiRecord) => unknown;
  /**
   * The request body for changing this field to `value` (PATCH); default `{ [key]: value }`.
   * Absent `editable` means read-only.
   */
  write?: (value: unknown, record: ApiRecord) => Record<string, unknown>;
  editable?: boolean;
  /** Asked in the create form. */
  create?: boolean;
  required?: boolean;
  /** A custom field (lives in `customFields[key]`, filter/sort as `cf.<key>`). */
  custom?: boolean;
}

/** A list filter: a query parameter of the list endpoint. */
export interface FilterDef {
  param: string;
  label: string;
  /** `pipeline` and `stage` take their options from GET /pipelines. */
  kind: "select" | "member" | "text" | "date" | "number" | "boolean" | "pipeline" | "stage";
  options?: readonly { value: string; label: string }[];
  /**
   * For a `date` filter whose API parameter is an instant (date-time): `start` sends the chosen
   * day's first moment (UTC), `end` the next day's (the API reads it as "before"), so the range
   * includes the whole chosen day.
   */
  instant?: "start" | "end";
}

export interface ObjectDef {
  key: ObjectKey;
  type: ObjectType;
  singular: string;
  plural: string;
  /** API collection path below /api/v1 (and /bff). */
  path: string;
  fields: FieldDef[];
  /** Column keys shown when the person has not chosen any. */
  defaultColumns: string[];
  filters: FilterDef[];
  /** The record's name as a person reads it. */
  title: (record: ApiRecord) => string;
  /** Whether GET /<path>/{id}/timeline exists. */
  hasTimeline: boolean;
}

export const lifecycleStages = ["subscriber", "lead", "mql", "sql", "opportunity", "customer", "evangelist"] as const;
export const leadStages = ["lead", "mql", "sql", "opportunity", "customer", "lost"] as const;
export const dealStatuses = ["active", "won", "lost", "paused"] as const;
export const taskStatuses = ["open", "in_progress", "done", "cancelled"] as const;
export const taskPriorities = ["low", "normal", "high", "urgent"] as const;
export const consentStatuses = ["opted_in", "opted_out", "unknown"] as const;

/** `in_progress` → `In progress`, `mql` → `MQL`. */
export function optionLabel(value: string): string {
  if (["mql", "sql"].includes(value)) return value.toUpperCase();
  const words = value.replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const choices = (values: readonly string[]) => values.map((value) => ({ value, label: optionLabel(value) }));

function personName(record: ApiRecord): string {
  const name = [record.firstName, record.lastName].filter((part) => typeof part === "string" && part).join(" ");
  return name;
}

function primaryEmail(record: ApiRecord): string | null {
  const emails = (record.emails as { address: string; primary: boolean }[] | undefined) ?? [];
  return (emails.find((email) => email.primary) ?? emails[0])?.address ?? null;
}

function firstPhone(record: ApiRecord): string | null {
  const phones = (record.phones as { number: string }[] | undefined) ?? [];
  return phones[0]?.number ?? null;
}

/** Replaces the primary email, keeping the others (an empty value removes it). */
function writePrimaryEmail(value: unknown, record: ApiRecord): Record<string, unknown> {
  const emails = ((record.emails as { address: string; primary: boolean; label: string | null }[]) ?? []).filter(
    (email) => !email.primary,
  );
  const address = typeof value === "string" ? value.trim() : "";
  return {
    emails: address
      ? [{ address, primary: true, label: null }, ...emails.map((email) => ({ ...email, primary: false }))]
      : emails.map((email, i) => ({ ...email, primary: i === 0 })),
  };
}

function writeFirstPhone(value: unknown, record: ApiRecord): Record<string, unknown> {
  const rest = ((record.phones as { number: string; label: string | null }[]) ?? []).slice(1);
  const number = typeof value === "string" ? value.trim() : "";
  return { phones: number ? [{ number, label: null }, ...rest] : rest };
}

/** The list's lead score (GET /leads gives each lead's `leadScore`); the record page shows its breakdown. */
const leadScoreField: FieldDef = {
  key: "leadScore",
  label: "Lead score",
  kind: "text",
  read: (record) => {
    const score = record.leadScore as { score: number; level: string } | null | undefined;
    return score ? `${score.score} (${score.level})` : null;
  },
};

const ownerField: FieldDef = { key: "ownerId", label: "Owner", kind: "member", editable: true, create: true };
const tagsField: FieldDef = { key: "tags", label: "Tags", kind: "tags", editable: true };
const createdField: FieldDef = { key: "createdAt", label: "Created", kind: "datetime", sort: "createdAt" };
const updatedField: FieldDef = { key: "updatedAt", label: "Updated", kind: "datetime", sort: "updatedAt" };
const ownerFilter: FilterDef = { param: "ownerId", label: "Owner", kind: "member" };
const tagFilter: FilterDef = { param: "tag", label: "Tag", kind: "text" };
const createdFilters: FilterDef[] = [
  { param: "createdFrom", label: "Created from", kind: "date", instant: "start" },
  { param: "createdTo", label: "Created to", kind: "date", instant: "end" },
];

export const objects: Record<ObjectKey, ObjectDef> = {
  contacts: {
    key: "contacts",
    type: "contact",
    singular: "Contact",
    plural: "Contacts",
    path: "contacts",
    title: (record) => personName(record) || primaryEmail(record) || "Unnamed contact",
    hasTimeline: true,
    fields: [
      { key: "name", label: "Name", kind: "text", sort: "name", read: personName },
      { key: "firstName", label: "First name", kind: "text", editable: true, create: true },
      { key: "lastName", label: "Last name", kind: "text", editable: true, create: true },
      {
        key: "email",
        label: "Email",
        kind: "email",
        read: primaryEmail,
        write: writePrimaryEmail,
        editable: true,
        create: true,
      },
      {
        key: "phone",
        label: "Phone",
        kind: "phone",
        read: firstPhone,
        write: writeFirstPhone,
        editable: true,
        create: true,
      },
      { key: "title", label: "Job title", kind: "text", editable: true, create: true },
      { key: "companyId", label: "Company", kind: "company", editable: true, create: true },
      {
        key: "lifecycleStage",
        label: "Lifecycle stage",
        kind: "select",
        options: lifecycleStages,
        editable: true,
        create: true,
      },
      { key: "leadStatus", label: "Lead status", kind: "text", editable: true },
      { key: "source", label: "Source", kind: "text", editable: true, create: true },
      ownerField,
      tagsField,
      {
        key: "consent",
        label: "Consent",
        kind: "select",
        options: consentStatuses,
        read: (record) => (record.consent as { status?: string } | undefined)?.status ?? "unknown",
        write: (value) => ({ consent: { status: value } }),
        editable: true,
      },
      { key: "doNotContact", label: "Do not contact", kind: "boolean", editable: true },
      { key: "timeZone", label: "Time zone", kind: "text", editable: true },
      { key: "lifecycleStageChangedAt", label: "Stage entered", kind: "datetime", sort: "lifecycleStageChangedAt" },
      createdField,
      updatedField,
    ],
    defaultColumns: ["name", "email", "companyId", "lifecycleStage", "ownerId", "createdAt"],
    filters: [
      { param: "lifecycleStage", label: "Lifecycle stage", kind: "select", options: choices(lifecycleStages) },
      ownerFilter,
      tagFilter,
      { param: "source", label: "Source", kind: "text" },
      { param: "consentStatus", label: "Consent", kind: "select", options: choices(consentStatuses) },
      { param: "doNotContact", label: "Do not contact", kind: "boolean" },
      ...createdFilters,
    ],
  },
  companies: {
    key: "companies",
    type: "company",
    singular: "Company",
    plural: "Companies",
    path: "companies",
    title: (record) => String(record.name ?? "Unnamed company"),
    hasTimeline: true,
    fields: [
      { key: "name", label: "Name", kind: "text", sort: "name", editable: true, create: true, required: true },
      { key: "domain", label: "Domain", kind: "text", editable: true, create: true },
      { key: "industry", label: "Industry", kind: "text", editable: true, create: true },
      { key: "size", label: "Size", kind: "text", editable: true },
      { key: "annualRevenue", label: "Annual revenue", kind: "number", sort: "annualRevenue", editable: true },
      { key: "website", label: "Website", kind: "url", editable: true },
      { key: "domainAuthority", label: "Domain authority", kind: "number", editable: true },
      ownerField,
      tagsField,
      createdField,
      updatedField,
    ],
    defaultColumns: ["name", "domain", "industry", "annualRevenue", "ownerId", "createdAt"],
    filters: [
      { param: "industry", label: "Industry", kind: "text" },
      ownerFilter,
      tagFilter,
      { param: "annualRevenueMin", label: "Revenue at least", kind: "number" },
      { param: "annualRevenueMax", label: "Revenue at most", kind: "number" },
      ...createdFilters,
    ],
  },
  leads: {
    key: "leads",
    type: "lead",
    singular: "Lead",
    plural: "Leads",
    path: "leads",
    title: (record) =>
      personName(record) || String(record.email ?? "") || String(record.companyName ?? "") || "Unnamed lead",
    hasTimeline: true,
    fields: [
      { key: "name", label: "Name", kind: "text", read: personName },
      { key: "firstName", label: "First name", kind: "text", editable: true, create: true },
      { key: "lastName", label: "Last name", kind: "text", editable: true, create: true },
      { key: "email", label: "Email", kind: "email", editable: true, create: true },
      { key: "phone", label: "Phone", kind: "phone", editable: true },
      { key: "companyName", label: "Company", kind: "text", editable: true, create: true },
      { key: "companyDomain", label: "Company domain", kind: "text", editable: true },
      { key: "title", label: "Job title", kind: "text", editable: true },
      { key: "stage", label: "Stage", kind: "select", options: leadStages, editable: true, create: true },
      { key: "lostReason", label: "Lost reason", kind: "text", editable: true },
      { key: "source", label: "Source", kind: "text", editable: true, create: true },
      {
        key: "estimatedValue",
        label: "Estimated value",
        kind: "money",
        sort: "estimatedValue",
        editable: true,
        create: true,
      },
      ownerField,
      tagsField,
      { key: "stageChangedAt", label: "Stage changed", kind: "datetime", sort: "stageChangedAt" },
      { key: "convertedAt", label: "Converted", kind: "datetime" },
      leadScoreField,
      createdField,
      updatedField,
    ],
    defaultColumns: ["name", "companyName", "stage", "leadScore", "estimatedValue", "ownerId", "createdAt"],
    filters: [
      {
        param: "view",
        label: "View",
        kind: "select",
        options: [
          { value: "unassigned", label: "Unassigned" },
          { value: "high_value", label: "High value" },
          { value: "mine", label: "Mine" },
        ],
      },
      { param: "stage", label: "Stage", kind: "select", options: choices(leadStages) },
      ownerFilter,
      tagFilter,
      { param: "source", label: "Source", kind: "text" },
      { param: "converted", label: "Converted", kind: "boolean" },
      { param: "valueMin", label: "Value at least", kind: "number" },
      { param: "valueMax", label: "Value at most", kind: "number" },
      ...createdFilters,
    ],
  },
  deals: {
    key: "deals",
    type: "deal",
    singular: "Deal",
    plural: "Deals",
    path: "deals",
    title: (record) => String(record.name ?? "Unnamed deal"),
    hasTimeline: true,
    fields: [
      { key: "name", label: "Name", kind: "text", sort: "name", editable: true, create: true, required: true },
      { key: "value", label: "Value", kind: "money", sort: "value", editable: true, create: true },
      { key: "currency", label: "Currency", kind: "text", editable: true, create: true },
      { key: "pipelineId", label: "Pipeline", kind: "pipeline", create: true },
      { key: "stageId", label: "Stage", kind: "stage", create: true },
      { key: "status", label: "Status", kind: "select", options: dealStatuses, editable: true },
      { key: "contactId", label: "Contact", kind: "contact", editable: true, create: true },
      { key: "companyId", label: "Company", kind: "company", editable: true, create: true },
      {
        key: "expectedCloseDate",
        label: "Expected close",
        kind: "date",
        sort: "expectedCloseDate",
        editable: true,
        create: true,
      },
      { key: "probability", label: "Probability (%)", kind: "number", editable: true },
      { key: "nextActionAt", label: "Next action", kind: "datetime", editable: true },
      { key: "lostReason", label: "Lost reason", kind: "text", editable: true },
      ownerField,
      tagsField,
      { key: "stageEnteredAt", label: "In stage since", kind: "datetime" },
      { key: "closedAt", label: "Closed", kind: "datetime" },
      createdField,
      updatedField,
    ],
    defaultColumns: ["name", "value", "stageId", "status", "companyId", "expectedCloseDate", "ownerId"],
    filters: [
      { param: "pipelineId", label: "Pipeline", kind: "pipeline" },
      { param: "stageId", label: "Stage", kind: "stage" },
      { param: "status", label: "Status", kind: "select", options: choices(dealStatuses) },
      ownerFilter,
      tagFilter,
      { param: "valueMin", label: "Value at least", kind: "number" },
      { param: "valueMax", label: "Value at most", kind: "number" },
      { param: "expectedCloseFrom", label: "Closing from", kind: "date" },
      { param: "expectedCloseTo", label: "Closing to", kind: "date" },
      ...createdFilters,
    ],
  },
  tasks: {
    key: "tasks",
    type: "task",
    singular: "Task",
    plural: "Tasks",
    path: "tasks",
    title: (record) => String(record.title ?? "Untitled task"),
    hasTimeline: false,
    fields: [
      { key: "title", label: "Title", kind: "text", editable: true, create: true, required: true },
      { key: "description", label: "Description", kind: "longtext", editable: true, create: true },
      { key: "dueAt", label: "Due", kind: "datetime", sort: "dueAt", editable: true, create: true },
      {
        key: "priority",
        label: "Priority",
        kind: "select",
        options: taskPriorities,
        sort: "priority",
        editable: true,
        create: true,
      },
      { key: "status", label: "Status", kind: "select", options: taskStatuses, editable: true },
      { key: "assigneeId", label: "Assignee", kind: "member", editable: true, create: true },
      { key: "completedAt", label: "Completed", kind: "datetime" },
      ownerField,
      tagsField,
      createdField,
      updatedField,
    ],
    defaultColumns: ["title", "dueAt", "priority", "status", "assigneeId"],
    filters: [
      {
        param: "view",
        label: "View",
        kind: "select",
        options: [
          { value: "mine", label: "Mine" },
          { value: "overdue", label: "Overdue" },
        ],
      },
      { param: "status", label: "Status", kind: "select", options: choices(taskStatuses) },
      { param: "priority", label: "Priority", kind: "select", options: choices(taskPriorities) },
      { param: "assigneeId", label: "Assignee", kind: "member" },
      tagFilter,
      { param: "dueFrom", label: "Due from", kind: "date", instant: "start" },
      { param: "dueTo", label: "Due to", kind: "date", instant: "end" },
    ],
  },
};

export const objectKeys = Object.keys(objects) as ObjectKey[];

export function isObjectKey(value: string): value is ObjectKey {
  return value in objects;
}

/** A custom field definition as GET /custom-fields returns it. */
export interface CustomFieldDef {
  id: string;
  objectType: ObjectType;
  key: string;
  label: string;
  type: "text" | "number" | "date" | "boolean" | "select" | "multi_select" | "url" | "email";
  options: string[] | null;
  required: boolean;
  position: number;
}

/** The tenant's custom fields as field definitions (sortable as `cf.<key>`, except multi-select). */
export function customFieldDefs(definitions: CustomFieldDef[]): FieldDef[] {
  return [...definitions]
    .sort((a, b) => a.position - b.position)
    .map((definition) => ({
      key: `cf.${definition.key}`,
      label: definition.label,
      kind: definition.type,
      options: definition.options ?? undefined,
      sort: definition.type === "multi_select" ? undefined : `cf.${definition.key}`,
      read: (record: ApiRecord) => record.customFields?.[definition.key] ?? null,
      write: (value: unknown) => ({ customFields: { [definition.key]: value } }),
      editable: true,
      create: definition.required,
      required: definition.required,
      custom: true,
    }));
}

/** A field's value on a record. */
export function readField(field: FieldDef, record: ApiRecord): unknown {
  return field.read ? field.read(record) : record[field.key];
}

/** The PATCH body that sets a field to `value`. */
export function writeField(field: FieldDef, value: unknown, record: ApiRecord): Record<string, unknown> {
  return field.write ? field.write(value, record) : { [field.key]: value };
}

/** The API's page of a list: `{ data, nextCursor }`. */
export interface RecordPage<T = ApiRecord> {
  data: T[];
  nextCursor: string | null;
}
