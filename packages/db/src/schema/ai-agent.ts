import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { AiOutputFactor } from "./ai-outputs";
import { createdAt, json, tenantIdColumn } from "./columns";

// The pipeline agent's decision log: what it decided for a deal, from which facts, why, and
// what came of it. The daily stuck-deal review is logged here too (type stuck_review, no deal).

export const aiAgentDecisionTypes = ["send_email", "move_stage", "wait", "flag_for_review", "stuck_review"] as const;
export type AiAgentDecisionType = (typeof aiAgentDecisionTypes)[number];

/** applied: carried out (act mode); suggested: logged only (suggest mode); skipped / failed: with the detail. */
export const aiAgentOutcomes = ["applied", "suggested", "skipped", "failed"] as const;
export type AiAgentOutcome = (typeof aiAgentOutcomes)[number];

export const aiAgentDecisions = sqliteTable(
  "ai_agent_decisions",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    /** Null for a stuck-deal review. */
    dealId: text("deal_id"),
    /** Decisions made by one run share it. */
    runId: text("run_id").notNull(),
    type: text("type", { enum: aiAgentDecisionTypes }).notNull(),
    /** The action decided (the engine's AgentAction; the stuck deals for a review). */
    action: json<Record<string, unknown>>("action").notNull(),
    explanation: text("explanation").notNull(),
    /** Every rule checked, in order, ending with the one that decided. */
    reasoning: json<string[]>("reasoning").notNull(),
    factors: json<AiOutputFactor[]>("factors").notNull(),
    /** The facts the decision was made from. */
    inputs: json<Record<string, unknown>>("inputs").notNull(),
    engine: text("engine", { enum: ["builtin", "workers-ai"] }).notNull(),
    model: text("model").notNull(),
    modelVersion: text("model_version").notNull(),
    /** The tenant's mode when the decision was made ("suggest" or "act"). */
    mode: text("mode", { enum: ["suggest", "act"] }).notNull(),
    outcome: text("outcome", { enum: aiAgentOutcomes }).notNull(),
    /** What was done (the task, message or stage), or why it was skipped or failed. */
    outcomeDetail: text("outcome_detail"),
    /** Who started the run: "cron" or the user / API key id. */
    triggeredBy: text("triggered_by").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("ai_agent_decisions_tenant_idx").on(t.tenantId, t.id),
    index("ai_agent_decisions_deal_idx").on(t.tenantId, t.dealId, t.id),
  ],
);
