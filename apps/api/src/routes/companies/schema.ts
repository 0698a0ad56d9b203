import { z } from "@hono/zod-openapi";
import { bulkRequestSchema } from "../../lib/bulk";
import { RecordListQuerySchema } from "../../lib/list-query";
import { pageOf } from "../../lib/pagination";

const text = (max: number) => z.string().trim().max(max);

export const CompanySchema = z
  .object({
    id: z.string().openapi({ example: "co_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    name: z.string().openapi({ example: "Analytical Engines Ltd" }),
    domain: z
      .string()
      .nullable()
      .openapi({ example: "analytical.example", description: "Lower-cased host: unique per organization" }),
    industry: z.string().nullable().openapi({ example: "Manufacturing" }),
    size: z.string().nullable().openapi({ example: "51-200" }),
    annualRevenue: z.number().nullable().openapi({ example: 1_250_000 }),
    website: z.string().nullable(),
    domainAuthority: z.number().int().nullable().openapi({ description: "0-100" }),
    ownerId: z.string().nullable(),
    tags: z.array(z.string()),
    customFields: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Company");

export const CompanyPageSchema = pageOf(CompanySchema, "CompanyPage");

const companyFields = {
  domain: z.string().max(253).nullable().optional().openapi({
    description: "Normalised (`https://www.Example.com/x` → `example.com`); another company with it is a 409",
    example: "example.com",
  }),
  industry: text(100).nullable().optional(),
  size: text(50).nullable().optional(),
  annualRevenue: z.number().min(0).max(1e15).nullable().optional(),
  website: z
    .url({ protocol: /^https?$/, error: "Must be an http(s) URL" })
    .max(500)
    .nullable()
    .optional(),
  domainAuthority: z.number().int().min(0).max(100).nullable().optional(),
  ownerId: z
    .string()
    .max(64)
    .nullable()
    .optional()
    .openapi({ description: "A member's user id (default: the creator)" }),
  tags: z.array(text(50)).max(50).optional(),
  customFields: z
    .record(z.string(), z.unknown())
    .optional()
    .openapi({ description: "Values for the tenant's custom fields, by key; null clears one" }),
};

const name = text(200).min(1, "Must not be empty");

export const CreateCompanyBodySchema = z.strictObject({ name, ...companyFields }).openapi("CreateCompanyRequest");
export const UpdateCompanyBodySchema = z
  .strictObject({ name: name.optional(), ...companyFields })
  .openapi("UpdateCompanyRequest");

const { domain: _domain, tags: _tags, ...bulkFields } = companyFields;
export const CompanyBulkBodySchema = bulkRequestSchema(
  z.strictObject(bulkFields).openapi("CompanyBulkChanges"),
  "CompanyBulkRequest",
);

export const CompanyListQuerySchema = RecordListQuerySchema.extend({
  industry: z
    .string()
    .max(100)
    .optional()
    .openapi({ param: { name: "industry", in: "query" } }),
  annualRevenueMin: z.coerce
    .number()
    .optional()
    .openapi({ param: { name: "annualRevenueMin", in: "query" }, description: "Inclusive" }),
  annualRevenueMax: z.coerce
    .number()
    .optional()
    .openapi({ param: { name: "annualRevenueMax", in: "query" }, description: "Inclusive" }),
});

export const companySortDescription =
  "Sort by `createdAt` (default `-createdAt`), `updatedAt`, `name` or `annualRevenue`.";
