import { z } from "@hono/zod-openapi";
import { leadStages } from "@crm/db";
import { leadViews } from "@crm/services";
import { bulkRequestSchema } from "../../lib/bulk";
import { RecordListQuerySchema } from "../../lib/list-query";
import { pageOf } from "../../lib/pagination";
import { CompanySchema } from "../companies/schema";
import { ContactSchema } from "../contacts/schema";
import { CurrencySchema, DealSchema, DealValueSchema } from "../deals/schema";

const text = (max: number) => z.string().trim().max(max);

export const LeadSchema = z
  .object({
    id: z.string().openapi({ example: "lead_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    firstName: z.string().nullable().openapi({ example: "Grace" }),
    lastName: z.string().nullable().openapi({ example: "Hopper" }),
    email: z.string().nullable().openapi({ example: "grace@example.com" }),
    phone: z.string().nullable(),
    companyName: z.string().nullable().openapi({ example: "Cobol Inc" }),
    companyDomain: z
      .string()
      .nullable()
      .openapi({ example: "cobol.example", description: "Normalised: lower-case host, no www" }),
    title: z.string().nullable(),
    stage: z.enum(leadStages),
    stageChangedAt: z.string(),
    lostReason: z.string().nullable(),
    source: z.string().nullable().openapi({ example: "webinar" }),
    estimatedValue: z.number().nullable(),
    ownerId: z.string().nullable().openapi({ description: "Null: unassigned" }),
    tags: z.array(z.string()),
    customFields: z.record(z.string(), z.unknown()),
    convertedAt: z.string().nullable(),
    convertedContactId: z.string().nullable(),
    convertedCompanyId: z.string().nullable(),
    convertedDealId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Lead");

/** A lead as the list gives it: with its current lead score, when it has one. */
export const LeadListItemSchema = LeadSchema.extend({
  leadScore: z
    .object({
      score: z.number().int().openapi({ example: 78 }),
      level: z.string().openapi({ example: "warm", description: "hot, warm, cold, nurture or inactive" }),
      qualification: z.string().nullable().openapi({ example: "qualified" }),
      scoredAt: z.string(),
    })
    .nullable()
    .openapi({ description: "The lead's stored lead score (GET /api/v1/leads/{id}/score); null until scored" }),
}).openapi("LeadListItem");
export const LeadPageSchema = pageOf(LeadListItemSchema, "LeadPage");

const leadFields = {
  firstName: text(100).nullable().optional(),
  lastName: text(100).nullable().optional(),
  email: z.email().max(254).nullable().optional(),
  phone: text(40)
    .regex(/^\+?[\d\s().\-x]*\d[\d\s().\-x]*$/, "Must be a phone number")
    .nullable()
    .optional(),
  companyName: text(200).nullable().optional(),
  companyDomain: text(253)
    .nullable()
    .optional()
    .openapi({ description: "A domain or URL; stored normalised (example.com)" }),
  title: text(200).nullable().optional(),
  stage: z
    .enum(leadStages)
    .optional()
    .openapi({ description: "Every change is kept in the stage history; `lost` needs `lostReason`" }),
  stageReason: text(500)
    .nullable()
    .optional()
    .openapi({ description: "Why the stage changed (kept in the stage history)" }),
  lostReason: text(500).nullable().optional(),
  source: text(100).nullable().optional(),
  estimatedValue: DealValueSchema.nullable().optional(),
  ownerId: z
    .string()
    .max(64)
    .nullable()
    .optional()
    .openapi({ description: "A member's user id (default: the creator; API keys: unassigned)" }),
  tags: z.array(text(50)).max(50).optional(),
  customFields: z.record(z.string(), z.unknown()).optional().openapi({ description: "By key; null clears one" }),
};

export const CreateLeadBodySchema = z.strictObject(leadFields).openapi("CreateLeadRequest");
export const UpdateLeadBodySchema = z.strictObject(leadFields).openapi("UpdateLeadRequest");

const { stage, stageReason, lostReason, source, estimatedValue, ownerId, customFields } = leadFields;
export const LeadBulkBodySchema = bulkRequestSchema(
  z
    .strictObject({ stage, stageReason, lostReason, source, estimatedValue, ownerId, customFields })
    .openapi("LeadBulkChanges"),
  "LeadBulkRequest",
);

export const AssignLeadBodySchema = z
  .strictObject({
    ownerId: z.string().min(1).max(64).nullable().openapi({ description: "A member's user id, or null to unassign" }),
  })
  .openapi("AssignLeadRequest");

export const ConvertLeadBodySchema = z
  .strictObject({
    contactId: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .openapi({ description: "Link this contact instead of matching by email or creating one" }),
    companyId: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .openapi({ description: "Link this company instead of matching by domain or creating one" }),
    createDeal: z
      .strictObject({
        name: z
          .string()
          .trim()
          .min(1)
          .max(200)
          .optional()
          .openapi({ description: "Default: the lead's company name, else its name" }),
        value: DealValueSchema.optional().openapi({ description: "Default: the lead's estimated value" }),
        currency: CurrencySchema.optional(),
        pipelineId: z.string().max(64).optional(),
        stageId: z.string().max(64).optional(),
      })
      .optional()
      .openapi({ description: "Also open a deal (default: first pipeline, first stage)" }),
  })
  .openapi("ConvertLeadRequest");

export const LeadConversionSchema = z
  .object({
    lead: LeadSchema,
    contact: ContactSchema.nullable(),
    company: CompanySchema.nullable(),
    deal: DealSchema.nullable(),
    created: z
      .object({ contact: z.boolean(), company: z.boolean(), deal: z.boolean() })
      .openapi({ description: "false: linked to an existing record" }),
  })
  .openapi("LeadConversion");

export const LeadStageChangeSchema = z
  .object({
    id: z.string().openapi({ example: "lsh_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    leadId: z.string(),
    fromStage: z.enum(leadStages).nullable().openapi({ description: "Null for the first stage of a new lead" }),
    toStage: z.enum(leadStages),
    reason: z.string().nullable(),
    changedBy: z.string().openapi({ description: "The user or API key that made the change" }),
    changedAt: z.string(),
  })
  .openapi("LeadStageChange");

export const LeadStageChangePageSchema = pageOf(LeadStageChangeSchema, "LeadStageChangePage");

export const LeadListQuerySchema = RecordListQuerySchema.extend({
  view: z
    .enum(leadViews)
    .optional()
    .openapi({
      param: { name: "view", in: "query" },
      description: "`unassigned` (no owner), `high_value` (estimatedValue >= threshold) or `mine`",
    }),
  threshold: z.coerce
    .number()
    .min(0)
    .optional()
    .openapi({
      param: { name: "threshold", in: "query" },
      description: "The `high_value` view's minimum estimated value (default 10000)",
    }),
  stage: z
    .enum(leadStages)
    .optional()
    .openapi({ param: { name: "stage", in: "query" } }),
  source: z
    .string()
    .max(100)
    .optional()
    .openapi({ param: { name: "source", in: "query" } }),
  converted: z
    .enum(["true", "false"])
    .optional()
    .openapi({ param: { name: "converted", in: "query" } }),
  valueMin: z.coerce
    .number()
    .min(0)
    .optional()
    .openapi({ param: { name: "valueMin", in: "query" }, description: "Estimated value at least this" }),
  valueMax: z.coerce
    .number()
    .min(0)
    .optional()
    .openapi({ param: { name: "valueMax", in: "query" }, description: "Estimated value at most this" }),
});

export const leadSortDescription =
  "Sort by `createdAt` (default `-createdAt`), `updatedAt`, `stageChangedAt` or `estimatedValue`.";
