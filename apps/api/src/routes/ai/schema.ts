import { z } from "@hono/zod-openapi";
import { contentChannels, contentTones, emotionNames, replyClassNames, sentimentLabels } from "@crm/ai";
import { aiCapabilities, aiSubjectTypes } from "@crm/db";

const FactorSchema = z
  .object({
    name: z.string().openapi({ example: "terrible" }),
    impact: z.number().openapi({ description: "Signed weight in the result's own units: positive pushes up" }),
    value: z.union([z.string(), z.number(), z.boolean()]).nullable().optional(),
  })
  .openapi("AiFactor");

const EngineSchema = z
  .object({
    engine: z.enum(["builtin", "workers-ai"]),
    model: z.string().openapi({ example: "lexicon+logistic-regression" }),
    version: z.string().openapi({ example: "1" }),
  })
  .openapi("AiEngine");

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
    suggestedAction: z.object({ type: z.string(), description: z.string(), resumeOn: z.string().optional() }),
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
    createdAt: z.string(),
  })
  .openapi("AiOutput");

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

export const GeneratedContentSchema = explained(GeneratedResultSchema, "GeneratedContent");

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
