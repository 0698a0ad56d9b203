import { z } from "@hono/zod-openapi";
import { nextActionTypes, recommendationStatuses } from "@crm/ai";
import { recommendationListStatuses } from "@crm/services";
import { PageQuerySchema, pageOf } from "../../lib/pagination";
import { DecisionEngineSchema, DecisionFactorSchema, DecisionRecordTypeSchema } from "../next-best-actions/schema";

const iso = z.string().openapi({ example: "2026-12-01T09:00:00.000Z" });

export const RecommendationSchema = z
  .object({
    id: z.string().openapi({ example: "airec_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    recordType: DecisionRecordTypeSchema,
    recordId: z.string(),
    type: z.enum(nextActionTypes),
    title: z.string().openapi({ example: "Follow up on the stalled deal: Acme renewal" }),
    priority: z.number().int().min(0).max(100),
    confidence: z.number().min(0).max(1),
    status: z.enum(recommendationStatuses),
    expired: z
      .boolean()
      .openapi({ description: "Pending or viewed past `expiresAt`: out of the inbox, can only be dismissed" }),
    explanation: z.string(),
    factors: z.array(DecisionFactorSchema),
    engine: DecisionEngineSchema,
    dueAt: iso,
    expiresAt: iso,
    statusChangedBy: z.string().nullable().openapi({ description: "The user or API key that last moved it" }),
    statusChangedAt: iso.nullable(),
    viewedAt: iso.nullable(),
    acceptedAt: iso.nullable(),
    dismissedAt: iso.nullable(),
    completedAt: iso.nullable(),
    createdAt: iso,
    updatedAt: iso,
  })
  .openapi("Recommendation");

export const RecommendationListSchema = pageOf(RecommendationSchema, "RecommendationList");

export const RecommendationListQuerySchema = PageQuerySchema.extend({
  status: z
    .enum(recommendationListStatuses)
    .optional()
    .openapi({
      param: { name: "status", in: "query" },
      description: "`pending` and `viewed` leave out expired ones; `expired` lists those",
    }),
  recordType: DecisionRecordTypeSchema.optional().openapi({ param: { name: "recordType", in: "query" } }),
  recordId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({ param: { name: "recordId", in: "query" } }),
  sort: z
    .string()
    .max(40)
    .optional()
    .openapi({
      param: { name: "sort", in: "query" },
      example: "-priority",
      description: "priority, createdAt, expiresAt or dueAt; prefix `-` for descending (default -priority)",
    }),
});

export const RecommendationStatusBodySchema = z
  .strictObject({
    status: z.enum(recommendationStatuses).openapi({
      description:
        "pending → viewed; viewed → accepted or dismissed; accepted → completed. Dismissed and completed are final.",
    }),
  })
  .openapi("RecommendationStatusChange");

const countsShape = {
  records: z.number().int().openapi({ description: "Records decided" }),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  removed: z.number().int(),
  alreadyHandled: z.number().int(),
};

export const RecommendationRefreshSchema = z
  .object({
    ...countsShape,
    pending: z.number().int().openapi({ description: "Pending, unexpired recommendations after the refresh" }),
    complete: z.boolean().openapi({
      description: "False when the organization has more records than one request decides: the rest is queued",
    }),
  })
  .openapi("RecommendationRefresh");
