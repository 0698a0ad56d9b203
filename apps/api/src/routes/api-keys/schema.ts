import { z } from "@hono/zod-openapi";
import { allScopes, type Scope } from "@crm/services";
import { isIpOrCidr } from "../../lib/ip";
import { pageOf } from "../../lib/pagination";

export const ScopeSchema = z.enum(allScopes as [Scope, ...Scope[]]).openapi({ example: "contacts:read" });

export const ApiKeySchema = z
  .object({
    id: z.string().openapi({ example: "key_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    name: z.string().openapi({ example: "Zapier" }),
    prefix: z
      .string()
      .openapi({ example: "crm_Ab12Cd34", description: "The key's first characters, to tell keys apart" }),
    scopes: z.array(ScopeSchema),
    rateLimit: z.number().int().openapi({ description: "Requests per minute" }),
    ipAllowlist: z.array(z.string()),
    expiresAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
    requestCount: z.number().int(),
    createdBy: z.string(),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .openapi("ApiKey");

export const CreatedApiKeySchema = ApiKeySchema.extend({
  key: z.string().openapi({ description: "The secret. Shown once: store it now.", example: "crm_Ab12Cd34…" }),
}).openapi("CreatedApiKey");

export const CreateApiKeyBodySchema = z
  .object({
    name: z.string().trim().min(1).max(100).openapi({ example: "Zapier" }),
    scopes: z.array(ScopeSchema).min(1, "Choose at least one scope").max(allScopes.length),
    expiresAt: z.iso.datetime({ offset: true }).nullable().optional().openapi({ example: "2027-01-01T00:00:00Z" }),
    rateLimit: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .nullable()
      .optional()
      .openapi({ description: "Requests per minute (default 600)" }),
    ipAllowlist: z
      .array(z.string().refine(isIpOrCidr, "Must be an IP address or CIDR block"))
      .max(50)
      .nullable()
      .optional(),
  })
  .openapi("CreateApiKeyRequest");

export const ApiKeyPageSchema = pageOf(ApiKeySchema, "ApiKeyPage");
