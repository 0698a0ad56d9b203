import { z } from "@hono/zod-openapi";
import { aiModelKinds } from "@crm/db";
import { PageQuerySchema, pageOf } from "../../lib/pagination";

const EngineSchema = z
  .object({
    engine: z.string().openapi({ example: "builtin" }),
    model: z.string().openapi({ example: "logistic-regression" }),
    version: z.string().openapi({ example: "1" }),
  })
  .openapi("AiEngine", { description: "Which engine and model made an output, and the version of its logic" });

const FactorSchema = z
  .object({
    name: z.string().openapi({ example: "cf.plan" }),
    impact: z.number().openapi({ description: "Signed weight in the output's units: positive pushes up" }),
    value: z.union([z.string(), z.number(), z.boolean()]).nullable().optional(),
  })
  .openapi("AiFactor");

const fieldName = z.string().min(1).max(120);

const LabelSchema = z
  .discriminatedUnion("source", [
    z.strictObject({
      source: z.literal("field"),
      field: fieldName.openapi({
        example: "cf.converted",
        description: "A contact field (`lifecycleStage`, `leadStatus`, …) or `cf.<custom field key>`",
      }),
      positiveValues: z
        .array(z.string().min(1).max(200))
        .min(1)
        .max(50)
        .openapi({
          example: ["yes"],
          description: "Values meaning the outcome happened; any other value means it did not",
        }),
    }),
    z.strictObject({ source: z.literal("deals") }).openapi({
      description: "A contact with a won deal is positive, one whose closed deals were all lost negative",
    }),
  ])
  .openapi("AiLabel", {
    description: "The outcome the model learns to predict; contacts without it are not trained on",
  });

export const TrainModelBodySchema = z
  .strictObject({
    kind: z.enum(aiModelKinds).openapi({ description: "`lead_score` (conversion) or `churn`" }),
    objectType: z.literal("contact").optional().openapi({ description: "The records learnt from; default contact" }),
    label: LabelSchema,
    fields: z
      .array(fieldName)
      .min(1)
      .max(300)
      .optional()
      .openapi({
        description: "Fields to learn from; default every standard and custom contact field",
        example: ["cf.source", "cf.visits", "title"],
      }),
    exclude: z.array(fieldName).max(300).optional().openapi({ description: "Fields never learnt from" }),
    missingTokens: z
      .array(z.string().max(100))
      .max(50)
      .optional()
      .openapi({ example: ["Select"], description: 'Answers that mean "not answered"' }),
  })
  .openapi("TrainAiModel");

export const AiModelSchema = z
  .object({
    id: z.string().openapi({ example: "aim_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    kind: z.enum(aiModelKinds),
    objectType: z.literal("contact"),
    label: LabelSchema,
    fields: z.array(z.string()).openapi({ description: "Fields offered to the model" }),
    fieldsUsed: z.array(z.string()).openapi({ description: "Fields the model kept (those that varied)" }),
    engine: EngineSchema,
    algorithm: z.enum(["logistic-regression", "gradient-boosted-trees", "blend"]),
    metrics: z.object({
      holdoutAuc: z.number().nullable().openapi({ description: "AUC on the 20% of labelled rows held out" }),
      holdout: z.record(z.string(), z.number()).nullable(),
      rowsRead: z.number().int(),
      labelledRows: z.number().int(),
      positiveRows: z.number().int(),
      trainedRows: z.number().int(),
    }),
    stats: z.record(z.string(), z.unknown()),
    status: z.enum(["active", "retired"]),
    trigger: z.enum(["api", "cron"]),
    trainedAt: z.string(),
    trainedBy: z.string(),
  })
  .openapi("AiModel");

export const AiModelListQuerySchema = PageQuerySchema.extend({
  kind: z
    .enum(aiModelKinds)
    .optional()
    .openapi({ param: { name: "kind", in: "query" } }),
});
export const AiModelPageSchema = pageOf(AiModelSchema, "AiModelPage");

export const ScoreSchema = z
  .object({
    recordType: z.literal("contact"),
    recordId: z.string(),
    kind: z.enum(aiModelKinds),
    score: z.number().int().openapi({ description: "0-100 as shown: a person's override when there is one" }),
    computedScore: z.number().int(),
    probability: z.number().nullable().openapi({ description: "The model's probability, when a model took part" }),
    level: z
      .string()
      .openapi({ description: "hot, warm, cold, nurture, inactive (lead score); low … critical (churn)" }),
    ruleScore: z.number().int().nullable(),
    modelScore: z.number().int().nullable(),
    qualification: z.string().nullable().openapi({ description: "qualified, disqualified or undecided" }),
    components: z.unknown().openapi({ description: "Rule components (engagement, recency, …) and the model's part" }),
    explanation: z.string(),
    factors: z.array(FactorSchema),
    engine: EngineSchema,
    modelId: z.string().nullable(),
    scoredAt: z.string(),
    override: z
      .object({
        score: z.number().int(),
        reason: z.string().nullable(),
        by: z.string().nullable(),
        at: z.string().nullable(),
      })
      .nullable(),
  })
  .openapi("AiScore");

export const ScoreBreakdownSchema = ScoreSchema.extend({
  history: z.array(
    z.object({
      change: z.enum(["scored", "override", "override_cleared"]),
      score: z.number().int(),
      level: z.string(),
      reason: z.string().nullable(),
      actorId: z.string(),
      engine: EngineSchema,
      recordedAt: z.string(),
    }),
  ),
}).openapi("AiScoreBreakdown");

export const OverrideBodySchema = z
  .strictObject({
    score: z
      .number()
      .int()
      .min(0)
      .max(100)
      .nullable()
      .openapi({ example: 85, description: "null clears the override" }),
    reason: z.string().trim().min(1, "Give a reason").max(1000).openapi({ example: "Met them at the trade fair" }),
  })
  .openapi("AiScoreOverride");

export const RescoreBodySchema = z
  .strictObject({ kind: z.enum(aiModelKinds).optional().openapi({ description: "Default lead_score" }) })
  .openapi("StartAiRescore");

export const RescoreJobSchema = z
  .object({
    id: z.string().openapi({ example: "airs_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    kind: z.enum(aiModelKinds),
    objectType: z.literal("contact"),
    status: z.enum(["queued", "running", "completed", "failed"]),
    total: z.number().int(),
    scored: z.number().int(),
    chunksDone: z.number().int(),
    progress: z.number().openapi({ description: "0-1" }),
    failureReason: z.string().nullable(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi("AiRescoreJob");

const ThresholdsSchema = z.strictObject({
  qualify: z.number().min(0).max(100).openapi({ example: 70 }),
  moveToMql: z.number().min(0).max(100).openapi({ example: 75 }),
  disqualify: z.number().min(0).max(100).openapi({ example: 40 }),
});
const BlendSchema = z.strictObject({ rules: z.number().min(0).max(100), model: z.number().min(0).max(100) });
const IcpRuleSchema = z.strictObject({
  field: fieldName,
  operator: z.enum([
    "equals",
    "not_equals",
    "in",
    "not_in",
    "contains",
    "gt",
    "gte",
    "lt",
    "lte",
    "exists",
    "not_exists",
  ]),
  value: z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))]).optional(),
  points: z.number().min(-100).max(100),
});

export const AiSettingsSchema = z
  .object({ qualification: ThresholdsSchema, blend: BlendSchema, icpRules: z.array(IcpRuleSchema) })
  .openapi("AiScoringSettings");

export const UpdateAiSettingsBodySchema = z
  .strictObject({
    qualification: ThresholdsSchema.optional(),
    blend: BlendSchema.optional(),
    icpRules: z.array(IcpRuleSchema).max(50).optional(),
  })
  .openapi("UpdateAiScoringSettings");
