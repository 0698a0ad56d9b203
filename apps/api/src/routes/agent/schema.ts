import { z } from "@hono/zod-openapi";
import { aiAgentDecisionTypes, aiAgentOutcomes } from "@crm/db";
import { PageQuerySchema, pageOf } from "../../lib/pagination";

const EngineSchema = z
  .object({
    engine: z.enum(["builtin", "workers-ai"]),
    model: z.string().openapi({ example: "pipeline-agent-rules" }),
    version: z.string().openapi({ example: "1" }),
  })
  .openapi("AiAgentEngine", { description: "Which engine and rules made the decision, and their version" });

const FactorSchema = z
  .object({
    name: z.string().openapi({ example: "last reply" }),
    impact: z.number(),
    value: z.union([z.string(), z.number(), z.boolean()]).nullable().optional(),
  })
  .openapi("AiAgentFactor");

const dealId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^deal_[0-9a-z]+$/, "Not a deal id")
  .openapi({ example: "deal_01jc9x7d1q8m3v5n2k4p6r8t0w" });

export const AgentDecisionSchema = z
  .object({
    id: z.string().openapi({ example: "aid_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    runId: z.string().openapi({ description: "Decisions made by one run share it" }),
    dealId: z.string().nullable().openapi({ description: "Null for a stuck-deal review" }),
    dealName: z.string().nullable(),
    type: z.enum(aiAgentDecisionTypes),
    action: z.record(z.string(), z.unknown()).openapi({
      description:
        "What was decided: `{kind: move_stage, fromStageId, toStageId, toStageName, lostReason}`, `{kind: send_email, contactId, template, followUpNumber}`, `{kind: wait, until}`, `{kind: flag_for_review, reason, suggestion, task}`; a review: `{kind: stuck_review, stuckDeals}`",
    }),
    explanation: z.string().openapi({ description: "Why, in a sentence" }),
    reasoning: z
      .array(z.string())
      .openapi({ description: "Every rule checked, in order, ending with the one that decided" }),
    factors: z.array(FactorSchema),
    inputs: z.record(z.string(), z.unknown()).openapi({ description: "The facts the decision was made from" }),
    engine: EngineSchema,
    mode: z.enum(["suggest", "act"]),
    outcome: z.enum(aiAgentOutcomes).openapi({
      description:
        "applied (carried out), suggested (suggest mode: logged only), skipped or failed (see outcomeDetail)",
    }),
    outcomeDetail: z.string().nullable(),
    triggeredBy: z.string().openapi({ description: "`cron`, or the person or API key that asked for the run" }),
    createdAt: z.string(),
  })
  .openapi("AiAgentDecision");

export const AgentDecisionListSchema = pageOf(AgentDecisionSchema, "AiAgentDecisionList");

export const AgentDecisionListQuerySchema = PageQuerySchema.extend({
  dealId: dealId.optional().openapi({ param: { name: "dealId", in: "query" } }),
  type: z
    .enum(aiAgentDecisionTypes)
    .optional()
    .openapi({ param: { name: "type", in: "query" } }),
  outcome: z
    .enum(aiAgentOutcomes)
    .optional()
    .openapi({ param: { name: "outcome", in: "query" } }),
  runId: z
    .string()
    .max(64)
    .optional()
    .openapi({ param: { name: "runId", in: "query" } }),
});

export const AgentRunBodySchema = z
  .strictObject({
    dealId: dealId.optional().openapi({ description: "Decide this deal only (due or not); default: every due deal" }),
  })
  .openapi("AiAgentRunRequest");

export const AgentRunSchema = z
  .object({
    runId: z.string(),
    mode: z.enum(["suggest", "act"]),
    at: z.string(),
    decisions: z.array(AgentDecisionSchema),
  })
  .openapi("AiAgentRun");

const StuckDealSchema = z
  .object({
    dealId: z.string(),
    dealName: z.string(),
    stageName: z.string(),
    daysInStage: z.number(),
    typicalDays: z.number(),
    typicalFrom: z.enum(["history", "follow_up_days", "default"]),
    daysSinceActivity: z.number(),
    reasons: z.array(z.enum(["over_typical_time", "no_recent_activity"])),
    explanation: z.string(),
  })
  .openapi("AiStuckDeal");

export const StuckDealReviewSchema = z
  .object({
    at: z.string(),
    openDeals: z.number().int(),
    stuckDeals: z.array(StuckDealSchema).openapi({ description: "The most stuck first" }),
    typicalStageTimes: z.array(
      z.object({ stageId: z.string(), stageName: z.string().nullable(), days: z.number(), samples: z.number().int() }),
    ),
    explanation: z.string(),
    factors: z.array(FactorSchema),
    engine: EngineSchema,
  })
  .openapi("AiStuckDealReview");
