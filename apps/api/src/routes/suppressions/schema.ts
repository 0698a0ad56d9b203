import { z } from "@hono/zod-openapi";
import { suppressionReasons } from "@crm/db";
import { PageQuerySchema, pageOf } from "../../lib/pagination";

export const SuppressionSchema = z
  .object({
    id: z.string().openapi({ example: "sup_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    address: z
      .string()
      .openapi({ description: "Lower-cased email address or E.164 number", example: "ana@acme.example" }),
    reason: z.enum(suppressionReasons).openapi({ example: "unsubscribed" }),
    source: z
      .string()
      .nullable()
      .openapi({
        description: "`message:<id>` (unsubscribe, bounce), or who added it",
        example: "message:om_01jc9x7d1q8m3v5n2k4p6r8t0w",
      }),
    createdAt: z.string().openapi({ example: "2026-12-01T10:00:00.000Z" }),
  })
  .openapi("Suppression");

export const SuppressionPageSchema = pageOf(SuppressionSchema, "SuppressionPage");

export const SuppressionListQuerySchema = PageQuerySchema.extend({
  reason: z
    .enum(suppressionReasons)
    .optional()
    .openapi({ param: { name: "reason", in: "query" }, example: "bounced" }),
  address: z
    .string()
    .max(320)
    .optional()
    .openapi({
      param: { name: "address", in: "query" },
      description: "Exactly this address (case-insensitive)",
      example: "ana@acme.example",
    }),
});

export const CreateSuppressionBodySchema = z
  .object({
    address: z.string().min(3).max(320).openapi({ example: "ana@acme.example" }),
    reason: z.enum(suppressionReasons).optional().openapi({ description: "Default `manual`", example: "manual" }),
  })
  .openapi("CreateSuppression");
