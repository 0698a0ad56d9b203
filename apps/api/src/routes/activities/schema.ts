import { z } from "@hono/zod-openapi";
import { activityTypes, recordTypes } from "@crm/db";
import { PageQuerySchema, pageOf } from "../../lib/pagination";

export const ActivitySchema = z
  .object({
    id: z.string().openapi({ example: "act_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    type: z.enum(activityTypes),
    recordType: z.enum(recordTypes),
    recordId: z.string().openapi({ example: "ct_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    subject: z.string().openapi({ example: "Discovery call" }),
    body: z.string().nullable(),
    occurredAt: z.string().openapi({ example: "2026-11-02T10:15:00.000Z" }),
    durationMinutes: z.number().int().nullable(),
    outcome: z.string().nullable().openapi({ example: "Interested; sending a proposal" }),
    actorId: z.string().openapi({ description: "The user or API key that logged it" }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Activity");

export const ActivityPageSchema = pageOf(ActivitySchema, "ActivityPage");

const activityFields = {
  type: z.enum(activityTypes),
  subject: z.string().trim().min(1).max(300),
  body: z.string().max(20_000).nullable().optional(),
  occurredAt: z.iso.datetime({ offset: true }).optional().openapi({ description: "Default: now" }),
  durationMinutes: z.number().int().min(0).max(10_080).nullable().optional(),
  outcome: z.string().trim().max(500).nullable().optional(),
};

export const CreateActivityBodySchema = z
  .strictObject({
    ...activityFields,
    recordType: z.enum(recordTypes),
    recordId: z.string().min(1).max(64).openapi({ description: "A record of recordType in this organization" }),
  })
  .openapi("CreateActivityRequest");

export const UpdateActivityBodySchema = z
  .strictObject({ ...activityFields, type: activityFields.type.optional(), subject: activityFields.subject.optional() })
  .openapi("UpdateActivityRequest");

export const ActivityListQuerySchema = PageQuerySchema.extend({
  recordType: z.enum(recordTypes).openapi({ param: { name: "recordType", in: "query" } }),
  recordId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "recordId", in: "query" }, description: "The record whose activities to list" }),
  type: z
    .enum(activityTypes)
    .optional()
    .openapi({ param: { name: "type", in: "query" } }),
});

/** Body dates arrive as ISO strings; services take Dates. */
export function activityDates<T extends { occurredAt?: string | undefined }>(body: T) {
  const { occurredAt, ...rest } = body;
  return { ...rest, ...(occurredAt === undefined ? {} : { occurredAt: new Date(occurredAt) }) };
}
