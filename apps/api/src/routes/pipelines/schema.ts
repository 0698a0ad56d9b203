import { z } from "@hono/zod-openapi";
import { dealStatuses } from "@crm/db";
import { pageOf } from "../../lib/pagination";
import { DealSchema } from "../deals/schema";

const idPattern = /^[a-z]+_[0-9a-z]+$/;

export const StageParamsSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .regex(idPattern, "Not an id")
    .openapi({ param: { name: "id", in: "path" }, example: "pl_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
  stageId: z
    .string()
    .min(1)
    .max(64)
    .regex(idPattern, "Not an id")
    .openapi({ param: { name: "stageId", in: "path" }, example: "stg_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
});

export const StageSchema = z
  .object({
    id: z.string().openapi({ example: "stg_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    pipelineId: z.string(),
    name: z.string().openapi({ example: "Proposal Sent" }),
    position: z.number().int().openapi({ description: "0-based place on the board" }),
    probability: z
      .number()
      .int()
      .openapi({ description: "Win probability (0-100) a deal takes on entering the stage", example: 60 }),
    isWon: z.boolean(),
    isLost: z.boolean(),
    followUpDays: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "Days after which a deal here is due for follow-up" }),
    autoActions: z
      .array(z.string())
      .openapi({ description: "Names of the automations run when a deal enters", example: ["create_follow_up_task"] }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("PipelineStage");

export const PipelineSchema = z
  .object({
    id: z.string().openapi({ example: "pl_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    name: z.string().openapi({ example: "Sales" }),
    position: z.number().int(),
    stages: z.array(StageSchema).openapi({ description: "In board order" }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Pipeline");

export const PipelinePageSchema = pageOf(PipelineSchema, "PipelinePage");

const stageName = z.string().trim().min(1).max(100);
const stageFields = {
  probability: z.number().int().min(0).max(100),
  isWon: z.boolean(),
  isLost: z.boolean().openapi({ description: "A stage is won or lost or neither, never both" }),
  followUpDays: z.number().int().min(0).max(3650).nullable(),
  autoActions: z
    .array(
      z
        .string()
        .trim()
        .regex(/^[a-z][a-z0-9_]{0,63}$/, "Must be an action name such as send_follow_up_email"),
    )
    .max(20),
};

const NewStageSchema = z.strictObject({
  name: stageName,
  probability: stageFields.probability.optional().openapi({ description: "Default: 100 for a won stage, else 0" }),
  isWon: stageFields.isWon.optional(),
  isLost: stageFields.isLost.optional(),
  followUpDays: stageFields.followUpDays.optional(),
  autoActions: stageFields.autoActions.optional(),
});

export const CreatePipelineBodySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100).openapi({ example: "Enterprise" }),
    stages: z.array(NewStageSchema).min(1).max(50).openapi({ description: "In board order" }),
  })
  .openapi("CreatePipelineRequest");

export const UpdatePipelineBodySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    position: z
      .number()
      .int()
      .min(0)
      .max(10_000)
      .optional()
      .openapi({ description: "Order among the tenant's pipelines" }),
  })
  .openapi("UpdatePipelineRequest");

export const CreateStageBodySchema = NewStageSchema.extend({
  position: z.number().int().min(0).max(50).optional().openapi({ description: "Where to insert it (default: last)" }),
}).openapi("CreateStageRequest");

export const UpdateStageBodySchema = z
  .strictObject({
    name: stageName.optional(),
    probability: stageFields.probability.optional(),
    isWon: stageFields.isWon.optional(),
    isLost: stageFields.isLost.optional(),
    followUpDays: stageFields.followUpDays.optional(),
    autoActions: stageFields.autoActions.optional(),
  })
  .openapi("UpdateStageRequest");

export const ReorderStagesBodySchema = z
  .strictObject({
    stageIds: z
      .array(z.string().min(1).max(64))
      .min(1)
      .max(50)
      .openapi({ description: "Every stage of the pipeline, once, in the new order" }),
  })
  .openapi("ReorderStagesRequest");

export const DeleteStageQuerySchema = z.object({
  moveDealsTo: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({
      param: { name: "moveDealsTo", in: "query" },
      description: "Another stage of the pipeline to move the stage's deals into",
    }),
});

export const BoardQuerySchema = z.object({
  perStage: z.coerce
    .number()
    .int()
    .min(0)
    .max(100)
    .default(20)
    .openapi({
      param: { name: "perStage", in: "query" },
      description: "Deals shown per stage (highest value first)",
      example: 20,
    }),
  ownerId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({
      param: { name: "ownerId", in: "query" },
      description: "Only this member's deals (`me` for the caller)",
    }),
  status: z
    .enum(dealStatuses)
    .optional()
    .openapi({ param: { name: "status", in: "query" } }),
});

export const BoardSchema = z
  .object({
    pipeline: PipelineSchema.omit({ stages: true }),
    stages: z.array(
      z.object({
        stage: StageSchema,
        count: z.number().int().openapi({ description: "Deals in the stage (after filters and record visibility)" }),
        totalValue: z.number(),
        weightedValue: z.number().openapi({ description: "Sum of value x probability / 100" }),
        deals: z.array(DealSchema),
        hasMore: z.boolean().openapi({ description: "More deals than shown: list them with GET /deals?stageId=" }),
      }),
    ),
  })
  .openapi("PipelineBoard");
