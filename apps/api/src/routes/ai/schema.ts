import { z } from "@hono/zod-openapi";
import { contentChannels, contentTones, emotionNames, replyClassNames, sentimentLabels } from "@crm/ai";
import {
  aiCapabilities,
  aiModelKinds,
  aiRescoreModes,
  aiRescoreTriggers,
  aiScoredRecordTypes,
  aiSubjectTypes,
} from "@crm/db";
import { PageQuerySchema, pageOf } from "../../lib/pagination";

export const EngineSchema = z
  .object({
    engine: z.string().openapi({ example: "builtin", description: "builtin or workers-ai" }),
    model: z.string().openapi({ example: "logistic-regression" }),
    version: z.string().openapi({ example: "1" }),
  })
  .openapi("AiEngine", { description: "Which engine and model made an output, and the version of its logic" });

export const FactorSchema = z
  .object({
    name: z.string().openapi({ example: "cf.plan" }),
    impact: z.number().openapi({ description: "Signed weight in the output's own units: positive pushes up" }),
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
    recordType: z.enum(aiScoredRecordTypes).openapi({ example: "contact" }),
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
  .strictObject({
    kind: z
      .enum(aiModelKinds)
      .optional()
      .openapi({
        example: "lead_score",
        description:
          "Which scores: `lead_score` (default) rescores every contact and every lead; `churn` the churn risk of " +
          "every customer (contacts at the customer or evangelist stage) with the churn model",
      }),
    mode: z
      .enum(aiRescoreModes)
      .optional()
      .openapi({
        example: "all",
        description:
          "`all` (default) every record the kind covers; `stale` only those never scored or changed since their score " +
          "(edited, or with an activity, note, task or email event added since), as the hourly rescoring does",
      }),
  })
  .openapi("StartAiRescore", { example: { kind: "lead_score" } });

export const RescoreJobSchema = z
  .object({
    id: z.string().openapi({ example: "airs_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    kind: z.enum(aiModelKinds),
    objectTypes: z
      .array(z.enum(aiScoredRecordTypes))
      .openapi({ example: ["contact", "lead"], description: "The records the job scores, in this order" }),
    objectType: z
      .enum(aiScoredRecordTypes)
      .openapi({ example: "contact", description: "The records being scored now (the last ones once it ended)" }),
    mode: z.enum(aiRescoreModes).openapi({ description: "`all` records, or only the `stale` ones" }),
    trigger: z.enum(aiRescoreTriggers).openapi({
      description:
        "What started it: `person` (POST /api/v1/ai/rescore), `retrain` (a training activated a new model), " +
        "`schedule` (the hourly rescoring of stale records)",
    }),
    startedBy: z.object({ type: z.string().openapi({ example: "user" }), id: z.string() }).openapi({
      description: "The person or API key, or the system process (`ai-retraining`, `ai-rescore-schedule`)",
    }),
    status: z.enum(["queued", "running", "completed", "failed"]),
    total: z
      .number()
      .int()
      .openapi({
        description:
          "Records of every type it covers, counted when queued (a `stale` job: at most 2,000, and once ended the " +
          "ones it scored, since a record someone scored meanwhile is no longer stale)",
      }),
    scored: z.number().int(),
    chunksDone: z.number().int(),
    progress: z.number().openapi({ description: "0-1" }),
    failureReason: z.string().nullable(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi("AiRescoreJob");

export const RescoreJobListQuerySchema = PageQuerySchema.extend({
  kind: z
    .enum(aiModelKinds)
    .optional()
    .openapi({ param: { name: "kind", in: "query" } }),
});
export const RescoreJobPageSchema = pageOf(RescoreJobSchema, "AiRescoreJobPage");

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

const AgentSettingsSchema = z
  .strictObject({
    mode: z.enum(["off", "suggest", "act"]).openapi({
      description:
        "The pipeline agent: off (never runs), suggest (decisions are logged only) or act (decisions are carried out). New organizations start off.",
    }),
  })
  .openapi("AiAgentSettings");

export const AiSettingsSchema = z
  .object({
    qualification: ThresholdsSchema,
    blend: BlendSchema,
    icpRules: z.array(IcpRuleSchema),
    agent: AgentSettingsSchema,
  })
  .openapi("AiScoringSettings");

export const UpdateAiSettingsBodySchema = z
  .strictObject({
    qualification: ThresholdsSchema.optional(),
    blend: BlendSchema.optional(),
    icpRules: z.array(IcpRuleSchema).max(50).optional(),
    agent: AgentSettingsSchema.optional(),
  })
  .openapi("UpdateAiScoringSettings");

/** Why: every AI answer carries its explanation, its factors and the engine that made it. */
const explained = <T extends z.ZodType>(result: T, name: string) =>
  z
    .object({
      result,
      explanation: z.string().openapi({ description: "One or two plain sentences: why this result" }),
      factors: z.array(FactorSchema).openapi({ description: "The strongest first" }),
      engine: EngineSchema,
    })
    .openapi(name);

const SentimentResultSchema = z
  .object({
    label: z.enum(sentimentLabels),
    score: z.number().openapi({ description: "-1 (most negative) to 1 (most positive)", example: -0.71 }),
    emotions: z.array(z.object({ emotion: z.enum(emotionNames), intensity: z.number(), cues: z.array(z.string()) })),
    keyPhrases: z.array(z.object({ phrase: z.string(), score: z.number() })),
    urgency: z.object({
      level: z.enum(["low", "medium", "high"]),
      score: z.number(),
      cues: z.array(z.object({ cue: z.string(), weight: z.number() })),
    }),
  })
  .openapi("SentimentResult");

export const SentimentSchema = explained(SentimentResultSchema, "Sentiment");

const SuggestedActionSchema = z
  .object({
    type: z.string().openapi({ example: "stop_sequence_create_task" }),
    description: z.string(),
    resumeOn: z.string().optional().openapi({ description: "For pause_sequence_until: YYYY-MM-DD" }),
    referredContact: z.object({ name: z.string().nullable(), email: z.string().nullable() }).optional(),
  })
  .openapi("AiSuggestedAction");

const ReplyClassResultSchema = z
  .object({
    classification: z.enum(replyClassNames),
    confidence: z.number().openapi({ description: "The probability of that class (0-1)", example: 0.93 }),
    probabilities: z
      .record(z.string(), z.number())
      .openapi({ description: "Per class (the built-in engine); Workers AI gives the chosen class only" }),
    action: SuggestedActionSchema,
    ownText: z.string().openapi({ description: "The sender's own words (quoted history removed)" }),
  })
  .openapi("ReplyClassResult");

export const ReplyClassSchema = explained(ReplyClassResultSchema, "ReplyClass");

/** An inbound reply's AI reading, as outreach listings show it beside the rule class. */
export const ReplyAiClassSchema = z
  .object({
    classification: z.string().openapi({ example: "interested" }),
    confidence: z.number(),
    suggestedAction: z.object({
      type: z.string(),
      description: z.string(),
      resumeOn: z.string().optional(),
      referredContact: z
        .object({ name: z.string().nullable(), email: z.string().nullable() })
        .optional()
        .openapi({ description: "For enrol_referred_contact: who the reply names" }),
    }),
    aiOutputId: z.string().openapi({ description: "GET /api/v1/ai/outputs has its explanation and factors" }),
  })
  .openapi("ReplyAiClass");

const Text = (max: number) => z.string().trim().min(1, "Must not be empty").max(max);

export const SentimentBodySchema = z
  .strictObject({
    text: Text(20_000).openapi({ example: "This is the third time the export failed. Very frustrating." }),
  })
  .openapi("SentimentRequest");

export const ClassifyReplyBodySchema = z
  .strictObject({
    text: Text(50_000).openapi({ example: "Sounds good, can we talk on Thursday?" }),
    subject: z.string().max(998).nullable().optional(),
    from: z.string().max(320).nullable().optional(),
    receivedAt: z.iso
      .datetime({ offset: true })
      .optional()
      .openapi({ description: 'Resolves "back Monday" in an out-of-office reply; default now' }),
  })
  .openapi("ClassifyReplyRequest");

export const AiOutputListQuerySchema = z.object({
  subjectType: z.enum(aiSubjectTypes).openapi({ param: { name: "subjectType", in: "query" } }),
  subjectId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "subjectId", in: "query" }, example: "note_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
});

export const AiOutputSchema = z
  .object({
    id: z.string().openapi({ example: "aio_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    subjectType: z.enum(aiSubjectTypes),
    subjectId: z.string(),
    capability: z.enum(aiCapabilities),
    result: z.record(z.string(), z.unknown()).openapi({ description: "A SentimentResult or a ReplyClassResult" }),
    explanation: z.string(),
    factors: z.array(FactorSchema),
    engine: EngineSchema,
    template: z
      .object({ id: z.string(), variantKey: z.string().nullable() })
      .nullable()
      .openapi({ description: "Content only: the sequence step (and variant) it was generated from" }),
    rating: z
      .object({
        stars: z.number().int().min(1).max(5),
        comment: z.string().nullable(),
        ratedBy: z.string().nullable().openapi({ description: "The user (or API key) that rated it" }),
        ratedAt: z.string().nullable(),
      })
      .nullable()
      .openapi("AiOutputRating", { description: "A person's rating; null until rated" }),
    createdAt: z.string(),
  })
  .openapi("AiOutput");

export const RateAiOutputBodySchema = z
  .strictObject({
    stars: z
      .number()
      .int()
      .min(1)
      .max(5)
      .openapi({ example: 5, description: "1 to 5 stars; a thumbs down is 1, a thumbs up 5" }),
    comment: z.string().max(2000).nullable().optional().openapi({ example: "Good opener, too long for an SMS" }),
  })
  .openapi("RateAiOutputRequest");

export const ContentTemplateStatsSchema = z
  .object({
    data: z.array(
      z
        .object({
          rank: z.number().int().openapi({ description: "1 is best" }),
          templateId: z.string().openapi({ description: "The sequence step; pass it to POST /ai/content" }),
          variantKey: z.string(),
          name: z.string().openapi({ example: "Onboarding, step 1 variant B" }),
          sequenceId: z.string(),
          channel: z.string(),
          subject: z.string().nullable(),
          generated: z.number().int().openapi({ description: "Times content was generated from it" }),
          sent: z.number().int().openapi({ description: "Messages sent from it" }),
          replied: z.number().int().openapi({ description: "Of those, how many drew a reply" }),
          replyRate: z.number().nullable().openapi({ description: "replied / sent; null before the first send" }),
          replyRateLowerBound: z
            .number()
            .openapi({ description: "Lower end of the reply rate's 95% Wilson interval: what the ranking sorts on" }),
          averageRating: z.number().nullable().openapi({ description: "Of people's 1-5 ratings of generated content" }),
          ratingCount: z.number().int(),
          why: z.string().openapi({ description: "This template's figures in a sentence" }),
        })
        .openapi("ContentTemplateStat"),
    ),
    explanation: z.string(),
    factors: z.array(FactorSchema),
    engine: EngineSchema,
  })
  .openapi("ContentTemplateStats");

export const AiOutputListSchema = z.object({ data: z.array(AiOutputSchema) }).openapi("AiOutputList");

const ChangeSchema = z.object({ rule: z.string(), from: z.string(), to: z.string() }).openapi("ContentChange");

const GeneratedResultSchema = z
  .object({
    channel: z.enum(contentChannels),
    tone: z.enum(contentTones),
    subject: z.string().nullable().openapi({ description: "Emails only" }),
    body: z.string(),
    characters: z.number().int(),
    limit: z.number().int().nullable().openapi({ description: "SMS 160, social 280, email none" }),
    truncated: z.boolean(),
    templateId: z.string().openapi({ description: 'The sequence step used, or "inline"' }),
    factsUsed: z.array(z.string()).openapi({ example: ["contact.firstName", "company.name"] }),
    fallbacksUsed: z.array(z.string()),
    changes: z.array(ChangeSchema),
  })
  .openapi("GeneratedContentResult");

export const GeneratedContentSchema = z
  .object({
    outputId: z.string().openapi({
      description: "The stored AI output: rate it with POST /ai/outputs/{id}/rating",
      example: "aio_01jc9x7d1q8m3v5n2k4p6r8t0w",
    }),
    result: GeneratedResultSchema,
    explanation: z.string().openapi({ description: "One or two plain sentences: why this result" }),
    factors: z.array(FactorSchema).openapi({ description: "The strongest first" }),
    engine: EngineSchema,
  })
  .openapi("GeneratedContent");

const EditedResultSchema = z
  .object({
    channel: z.enum(contentChannels),
    subject: z.string().nullable(),
    body: z.string(),
    characters: z.number().int(),
    limit: z.number().int().nullable(),
    truncated: z.boolean(),
    changes: z.array(ChangeSchema),
  })
  .openapi("EditedContentResult");

export const EditedContentSchema = explained(EditedResultSchema, "EditedContent");

export const GenerateContentBodySchema = z
  .strictObject({
    channel: z.enum(contentChannels),
    tone: z.enum(contentTones).default("professional"),
    templateId: z.string().min(1).max(64).optional().openapi({
      description: "A sequence step whose variant is the template",
      example: "sqs_01jc9x7d1q8m3v5n2k4p6r8t0w",
    }),
    variantKey: z.string().min(1).max(8).optional().openapi({ description: "Default: the step's first variant" }),
    template: z
      .strictObject({
        subject: z.string().max(998).nullable().optional(),
        body: Text(20_000).openapi({ example: "Hi {{contact.firstName|there}}, a quick idea for {{company.name}}." }),
      })
      .optional()
      .openapi({ description: "A template typed in, instead of templateId" }),
    contactId: z.string().min(1).max(64),
    dealId: z.string().min(1).max(64).optional().openapi({ description: "Default: the contact's newest open deal" }),
  })
  .superRefine((body, ctx) => {
    if (!body.templateId === !body.template) {
      ctx.addIssue({ code: "custom", path: ["templateId"], message: "Give either templateId or template" });
    }
    if (body.variantKey && !body.templateId) {
      ctx.addIssue({ code: "custom", path: ["variantKey"], message: "variantKey needs templateId" });
    }
  })
  .openapi("GenerateContentRequest");

export const RewriteContentBodySchema = z
  .strictObject({
    text: Text(20_000).openapi({ example: "hi, i just wanted to check in and see if maybe you had time to talk" }),
    operation: z.enum(["improve", "shorten", "rewrite"]),
    tone: z.enum(contentTones).default("professional"),
    channel: z.enum(contentChannels).default("email"),
    subject: z.string().max(998).nullable().optional(),
  })
  .openapi("RewriteContentRequest");

export const ScoreDistributionQuerySchema = z
  .object({
    kind: z
      .enum(aiModelKinds)
      .default("lead_score")
      .openapi({ param: { name: "kind", in: "query" }, description: "Default lead_score" }),
    recordType: z
      .enum(["contact", "lead"])
      .default("contact")
      .openapi({
        param: { name: "recordType", in: "query" },
        description: "Whose stored scores: contacts (default) or leads (lead scores only)",
      }),
  })
  .superRefine((query, issues) => {
    if (query.recordType === "lead" && query.kind === "churn")
      issues.addIssue({
        code: "custom",
        path: ["recordType"],
        message: "Churn risk is assessed for customers, which are contacts: leads have lead scores only",
      });
  });

export const ScoreDistributionSchema = z
  .object({
    kind: z.enum(aiModelKinds),
    recordType: z.enum(["contact", "lead"]),
    total: z.number().int().openapi({ description: "Records with a stored score of this kind" }),
    averageScore: z.number().nullable(),
    overridden: z.number().int().openapi({ description: "Scores set by a person (override)" }),
    levels: z
      .array(z.object({ level: z.string(), count: z.number().int() }))
      .openapi({ description: "Every level of the kind, in order (hot … inactive; low … critical), zeros included" }),
    bins: z
      .array(
        z.object({
          from: z.number().int(),
          to: z.number().int(),
          count: z.number().int(),
          levels: z.record(z.string(), z.number().int()),
        }),
      )
      .openapi({ description: "Ten bins: 0-9, 10-19, … 90-100, each split by level" }),
    top: z
      .array(
        z.object({
          recordType: z.enum(["contact", "lead"]),
          recordId: z.string(),
          contactId: z.string().nullable().openapi({ description: "The record's id when it is a contact" }),
          name: z.string(),
          email: z.string().nullable(),
          lifecycleStage: z.string().nullable(),
          score: z.number().int(),
          level: z.string(),
          overridden: z.boolean(),
          scoredAt: z.string(),
        }),
      )
      .openapi({ description: "The ten highest scores" }),
  })
  .openapi("AiScoreDistribution");
