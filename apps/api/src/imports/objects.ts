import type { z } from "@hono/zod-openapi";
import { lifecycleStages, type RecordType } from "@crm/db";
import { type ImportField, parseBooleanCell, parseNumberCell, splitListCell } from "@crm/records";
import { CreateCompanyBodySchema } from "../routes/companies/schema";
import { CreateContactBodySchema } from "../routes/contacts/schema";
import { CreateDealBodySchema, dealInputFrom } from "../routes/deals/schema";
import { CreateLeadBodySchema } from "../routes/leads/schema";
import { CreateTaskBodySchema, taskDates } from "../routes/tasks/schema";

/**
 * A standard field a CSV column can fill: where its value lands in the object's create
 * body (the body POST /api/v1/<objects> takes, validated by the same schema) and how a
 * cell becomes that value. Blank cells are left out, so an update never clears a field.
 */
export interface StandardField extends ImportField {
  /** Dotted path in the create body; `emails` and `phones` take one entry. */
  bodyPath: string;
  cell?: (value: string) => unknown;
  /** Resolved by name before validation (a deal's pipeline and stage), not part of the body. */
  byName?: true;
}

export interface ImportObject {
  type: RecordType;
  /** Plural, as in the API's paths and the export's file name. */
  plural: string;
  fields: StandardField[];
  /** The create route's body schema: every row is validated exactly as that route validates. */
  bodySchema: z.ZodType;
  /** What the create route does to the parsed body before calling the service (dates as Date). */
  toInput?: (body: Record<string, unknown>) => Record<string, unknown>;
  /** The create-or-update key this object can match on. */
  matchKey: "email" | "domain" | null;
}

const text = (target: string, label: string, aliases: string[] = [], bodyPath = target): StandardField => ({
  target,
  label,
  aliases,
  bodyPath,
});
const number = (target: string, label: string, aliases: string[] = []): StandardField => ({
  ...text(target, label, aliases),
  cell: parseNumberCell,
});
const tags: StandardField = { ...text("tags", "Tags", ["labels", "tag"]), cell: splitListCell };
/** "Marketing Qualified Lead", "MQL", "sql " → the enum value when one matches. */
const enumCell = (values: readonly string[]) => (value: string) => {
  const word = value
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
  const initials = value
    .trim()
    .split(/[\s_-]+/)
    .map((w) => w[0] ?? "")
    .join("")
    .toLowerCase();
  return values.find((v) => v === word) ?? values.find((v) => v === initials) ?? value.trim();
};

const contact: ImportObject = {
  type: "contact",
  plural: "contacts",
  bodySchema: CreateContactBodySchema,
  matchKey: "email",
  fields: [
    text("firstName", "First name", ["first", "given name", "forename", "prenom", "vorname"]),
    text("lastName", "Last name", ["last", "surname", "family name", "nom", "nachname"]),
    {
      ...text("email", "Email", ["e-mail", "email address", "e-mail address", "mail", "primary email"], "emails"),
      cell: (value) => [{ address: value.trim() }],
    },
    {
      ...text("phone", "Phone", ["phone number", "telephone", "tel", "mobile", "mobile phone"], "phones"),
      cell: (value) => [{ number: value.trim() }],
    },
    text("title", "Job title", ["title", "position", "role"]),
    { ...text("lifecycleStage", "Lifecycle stage", ["stage", "lifecycle"]), cell: enumCell(lifecycleStages) },
    text("leadStatus", "Lead status", ["status"]),
    text("source", "Source", ["lead source", "origin"]),
    tags,
    { ...text("doNotContact", "Do not contact", ["dnc", "unsubscribed"]), cell: parseBooleanCell },
    {
      ...text("consentStatus", "Consent", ["consent status", "opt in"], "consent"),
      cell: (value) => ({ status: enumCell(["opted_in", "opted_out", "unknown"])(value) }),
    },
    text("timeZone", "Time zone", ["timezone", "tz"]),
    text("street", "Street", ["address", "street address", "address line 1"], "address.street"),
    text("city", "City", ["town"], "address.city"),
    text("region", "Region", ["state", "province", "county"], "address.region"),
    text("postalCode", "Postal code", ["zip", "zip code", "postcode"], "address.postalCode"),
    text("country", "Country", [], "address.country"),
  ],
};

const company: ImportObject = {
  type: "company",
  plural: "companies",
  bodySchema: CreateCompanyBodySchema,
  matchKey: "domain",
  fields: [
    text("name", "Name", ["company", "company name", "organization", "organisation", "account name"]),
    text("domain", "Domain", ["company domain", "domain name"]),
    text("industry", "Industry", ["sector"]),
    text("size", "Size", ["company size", "employees", "headcount"]),
    number("annualRevenue", "Annual revenue", ["revenue", "arr"]),
    text("website", "Website", ["url", "web site", "homepage"]),
    number("domainAuthority", "Domain authority", ["da"]),
    tags,
  ],
};

const lead: ImportObject = {
  type: "lead",
  plural: "leads",
  bodySchema: CreateLeadBodySchema,
  matchKey: null,
  fields: [
    text("firstName", "First name", ["first", "given name"]),
    text("lastName", "Last name", ["last", "surname", "family name"]),
    text("email", "Email", ["e-mail", "email address", "e-mail address", "mail"]),
    text("phone", "Phone", ["phone number", "telephone", "mobile"]),
    text("companyName", "Company", ["company name", "organization", "organisation", "account"]),
    text("companyDomain", "Company domain", ["domain", "website"]),
    text("title", "Job title", ["title", "position"]),
    {
      ...text("stage", "Stage", ["lead stage", "status"]),
      cell: enumCell(["lead", "mql", "sql", "opportunity", "customer", "lost"]),
    },
    text("lostReason", "Lost reason", []),
    text("source", "Source", ["lead source"]),
    number("estimatedValue", "Estimated value", ["value", "amount"]),
    tags,
  ],
};

const deal: ImportObject = {
  type: "deal",
  plural: "deals",
  bodySchema: CreateDealBodySchema,
  toInput: dealInputFrom,
  matchKey: null,
  fields: [
    text("name", "Deal name", ["name", "deal", "opportunity", "title"]),
    { ...text("pipeline", "Pipeline", ["pipeline name"], "pipelineId"), byName: true },
    { ...text("stage", "Stage", ["deal stage", "stage name"], "stageId"), byName: true },
    number("value", "Value", ["amount", "deal value", "price"]),
    { ...text("currency", "Currency", []), cell: (value) => value.trim().toUpperCase() },
    text("expectedCloseDate", "Expected close date", ["close date", "closing date"]),
    { ...number("probability", "Probability", ["win probability", "%"]) },
    text("lostReason", "Lost reason", []),
    tags,
  ],
};

const task: ImportObject = {
  type: "task",
  plural: "tasks",
  bodySchema: CreateTaskBodySchema,
  toInput: taskDates,
  matchKey: null,
  fields: [
    text("title", "Title", ["task", "subject", "name"]),
    text("description", "Description", ["details", "notes", "body"]),
    {
      ...text("dueAt", "Due", ["due date", "due at", "deadline"]),
      // A bare date is due at the start of that day, UTC.
      cell: (value) => (/^\d{4}-\d{2}-\d{2}$/.test(value.trim()) ? `${value.trim()}T00:00:00Z` : value.trim()),
    },
    { ...text("priority", "Priority", []), cell: enumCell(["low", "normal", "high", "urgent"]) },
    { ...text("status", "Status", ["state"]), cell: enumCell(["open", "in_progress", "done", "cancelled"]) },
    tags,
  ],
};

export const importObjects: Record<RecordType, ImportObject> = { contact, company, lead, deal, task };

export const importObjectTypes = Object.keys(importObjects) as RecordType[];
