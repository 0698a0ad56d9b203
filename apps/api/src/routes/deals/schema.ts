import { z } from "@hono/zod-openapi";
import { dealStatuses } from "@crm/db";
import { bulkRequestSchema } from "../../lib/bulk";
import { RecordListQuerySchema } from "../../lib/list-query";
import { pageOf } from "../../lib/pagination";

const text = (max: number) => z.string().trim().max(max);

/** ISO 4217 codes the runtime knows (Intl), so a typo such as `USX` is refused. */
const knownCurrencies = new Set<string>(
  typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("currency") : [],
);
export const CurrencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, { message: "Must be a 3-letter ISO 4217 code such as USD", abort: true })
  .refine((code) => knownCurrencies.size === 0 || knownCurrencies.has(code), "Not an ISO 4217 currency code")
  .openapi({ example: "EUR" });

const isCalendarDate = (value: string) => {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
};
export const CalendarDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: "Must be a date as YYYY-MM-DD", abort: true })
  .refine(isCalendarDate, "Not a calendar date")
  .openapi({ example: "2026-12-31" });

export const DealValueSchema = z.number().min(0).max(1e15).openapi({ example: 12000 });

export const DealSchema = z
  .object({
    id: z.string().openapi({ example: "deal_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    name: z.string().openapi({ example: "Acme: annual plan" }),
    contactId: z.string().nullable(),
    companyId: z.string().nullable(),
    pipelineId: z.string(),
    stageId: z.string(),
    stageEnteredAt: z.string(),
    status: z.enum(dealStatuses),
    value: z.number(),
    currency: z.string().openapi({ example: "USD" }),
    expectedCloseDate: z.string().nullable().openapi({ example: "2026-12-31" }),
    closedAt: z.string().nullable().openapi({ description: "When the deal was won or lost" }),
    probability: z.number().int().nullable().openapi({ description: "0-100; the stage's on entering it unless set" }),
    nextActionAt: z.string().nullable(),
    lostReason: z.string().nullable(),
    ownerId: z.string().nullable(),
    tags: z.array(z.string()),
    customFields: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Deal");

export const DealPageSchema = pageOf(DealSchema, "DealPage");

const dealFields = {
  contactId: z.string().max(64).nullable().optional().openapi({ description: "A contact of this organization" }),
  companyId: z.string().max(64).nullable().optional().openapi({ description: "A company of this organization" }),
  status: z.enum(dealStatuses).optional().openapi({ description: "In a won or lost stage the status is the stage's" }),
  value: DealValueSchema.optional(),
  currency: CurrencySchema.optional(),
  expectedCloseDate: CalendarDateSchema.nullable().optional(),
  probability: z.number().int().min(0).max(100).optional(),
  nextActionAt: z.iso.datetime({ offset: true }).nullable().optional().openapi({ example: "2026-11-20T09:00:00Z" }),
  lostReason: text(500).nullable().optional(),
  ownerId: z
    .string()
    .max(64)
    .nullable()
    .optional()
    .openapi({ description: "A member's user id (default: the creator)" }),
  tags: z.array(text(50)).max(50).optional(),
  customFields: z.record(z.string(), z.unknown()).optional().openapi({ description: "By key; null clears one" }),
};

export const CreateDealBodySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    pipelineId: z.string().max(64).optional().openapi({ description: "Default: the first pipeline (or the stage's)" }),
    stageId: z
      .string()
      .max(64)
      .optional()
      .openapi({ description: "A stage of the pipeline (default: its first stage)" }),
    ...dealFields,
  })
  .openapi("CreateDealRequest");

export const UpdateDealBodySchema = z
  .strictObject({ name: z.string().trim().min(1).max(200).optional(), ...dealFields })
  .openapi("UpdateDealRequest");

const { tags: _tags, ...bulkFields } = dealFields;
export const DealBulkBodySchema = bulkRequestSchema(
  z.strictObject(bulkFields).openapi("DealBulkChanges"),
  "DealBulkRequest",
);

export const MoveStageBodySchema = z
  .strictObject({
    stageId: z.string().min(1).max(64).openapi({ description: "A stage of any of the organization's pipelines" }),
    lostReason: text(500).nullable().optional().openapi({ description: "Kept when entering a lost stage" }),
    probability: z
      .number()
      .int()
      .min(0)
      .max(100)
      .optional()
      .openapi({ description: "Default: the new stage's probability" }),
  })
  .openapi("MoveDealStageRequest");

export const DealStageChangeSchema = z
  .object({
    id: z.string().openapi({ example: "dsh_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    dealId: z.string(),
    pipelineId: z.string(),
    stageId: z.string(),
    stageName: z.string().nullable().openapi({ description: "Null once the stage is deleted" }),
    enteredAt: z.string(),
    leftAt: z.string().nullable().openapi({ description: "Null while the deal is still in the stage" }),
    durationSeconds: z.number().int().nullable(),
    changedBy: z.string().openapi({ description: "The user or API key that moved the deal" }),
  })
  .openapi("DealStageChange");

export const DealStageChangePageSchema = pageOf(DealStageChangeSchema, "DealStageChangePage");

const number = (name: string, description: string) =>
  z.coerce
    .number()
    .min(0)
    .optional()
    .openapi({ param: { name, in: "query" }, description });
const date = (name: string, description: string) =>
  CalendarDateSchema.optional().openapi({ param: { name, in: "query" }, description });

export const DealListQuerySchema = RecordListQuerySchema.extend({
  pipelineId: z
    .string()
    .max(64)
    .optional()
    .openapi({ param: { name: "pipelineId", in: "query" } }),
  stageId: z
    .string()
    .max(64)
    .optional()
    .openapi({ param: { name: "stageId", in: "query" } }),
  status: z
    .enum(dealStatuses)
    .optional()
    .openapi({ param: { name: "status", in: "query" } }),
  contactId: z
    .string()
    .max(64)
    .optional()
    .openapi({ param: { name: "contactId", in: "query" } }),
  companyId: z
    .string()
    .max(64)
    .optional()
    .openapi({ param: { name: "companyId", in: "query" } }),
  valueMin: number("valueMin", "Value at least this"),
  valueMax: number("valueMax", "Value at most this"),
  expectedCloseFrom: date("expectedCloseFrom", "Expected to close on or after this date"),
  expectedCloseTo: date("expectedCloseTo", "Expected to close on or before this date"),
});

export const dealSortDescription =
  "Sort by `createdAt` (default `-createdAt`), `updatedAt`, `value`, `expectedCloseDate` or `name`.";

/** A deal body as the services take it: `nextActionAt` as a Date. */
export function dealInputFrom<T extends { nextActionAt?: string | null | undefined }>(body: T) {
  const { nextActionAt, ...rest } = body;
  return {
    ...rest,
    ...(nextActionAt === undefined ? {} : { nextActionAt: nextActionAt === null ? null : new Date(nextActionAt) }),
  };
}
