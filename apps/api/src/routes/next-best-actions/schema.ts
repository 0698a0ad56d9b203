import { z } from "@hono/zod-openapi";
import { nextActionTypes } from "@crm/ai";

export const DecisionRecordTypeSchema = z.enum(["contact", "lead", "deal"]);

/** Which engine and model decided, and the version of its rules. */
export const DecisionEngineSchema = z.object({
  engine: z.string().openapi({ example: "builtin" }),
  model: z.string().openapi({ example: "next-best-action-rules" }),
  version: z.string().openapi({ example: "1" }),
});

export const DecisionFactorSchema = z.object({
  name: z.string().openapi({ example: "days past the follow-up" }),
  impact: z.number().openapi({ description: "Priority points this factor adds (negative: takes away)" }),
  value: z.union([z.string(), z.number(), z.boolean()]).nullable().optional(),
});

export const NextBestActionParamsSchema = z.object({
  recordType: DecisionRecordTypeSchema.openapi({ param: { name: "recordType", in: "path" }, example: "deal" }),
  id: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z]+_[0-9a-z]+$/, "Not an id")
    .openapi({ param: { name: "id", in: "path" }, example: "deal_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
});

const iso = z.string().openapi({ example: "2026-12-01T09:00:00.000Z" });

export const NextBestActionSchema = z
  .object({
    recordType: DecisionRecordTypeSchema,
    recordId: z.string(),
    recordName: z.string(),
    type: z.enum(nextActionTypes).openapi({ description: "The action; `none` when nothing is due" }),
    priority: z.number().int().min(0).max(100),
    confidence: z.number().min(0).max(1),
    title: z.string().openapi({ example: "Follow up on the stalled deal: Acme renewal" }),
    summary: z.string().openapi({ description: "The reason in one sentence" }),
    dueAt: iso.openapi({
      description: "When to do it: the date the action answers (a due next action, an overdue task…), else now",
    }),
    expiresAt: iso.openapi({ description: "After this the suggestion is stale and is decided again" }),
    explanation: z.string(),
    factors: z
      .array(DecisionFactorSchema)
      .openapi({ description: "The parts the priority is the sum of, largest first" }),
    alternatives: z.array(
      z.object({
        action: z.enum(nextActionTypes),
        title: z.string(),
        priority: z.number().int(),
        confidence: z.number(),
      }),
    ),
    facts: z
      .object({
        lastActivityAt: iso.nullable(),
        lastReply: z
          .object({
            class: z.string(),
            at: iso.nullable(),
            confidence: z.number().nullable(),
            returnDate: iso.nullable(),
          })
          .nullable(),
        openTasks: z.object({ open: z.number().int(), overdue: z.number().int() }),
        deal: z
          .object({
            status: z.string(),
            stage: z.object({ id: z.string(), name: z.string(), followUpDays: z.number().int().nullable() }),
            stageEnteredAt: iso.nullable(),
            nextActionAt: iso.nullable(),
          })
          .nullable(),
        score: z.object({ value: z.number(), level: z.string() }).nullable(),
        churnRisk: z.object({ level: z.string(), probability: z.number().nullable() }).nullable(),
        sequence: z
          .object({
            status: z.string(),
            exitReason: z.string().nullable(),
            sequenceName: z.string().nullable(),
            dueAt: iso.nullable(),
            pausedAt: iso.nullable(),
          })
          .nullable(),
        doNotContact: z.boolean(),
      })
      .openapi({ description: "What the decision was made from" }),
    engine: DecisionEngineSchema,
    decidedAt: iso,
  })
  .openapi("NextBestAction");
