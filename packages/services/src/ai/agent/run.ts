// One run of the pipeline agent over a tenant's due deals (or one deal): gather the facts,
// decide (the built-in rules of @crm/ai), and, in act mode, carry the decision out through
// the services a person's action goes through, as the "ai-agent" actor: a stage move (stage
// history, audit entry, deal events), a follow-up email through the tenant's mailbox, a task
// and a notification for the deal's owner, or the next action date. Each deal's writes (its
// decision log row included) go in one D1 batch. In suggest mode the decision is only logged.
import { type AgentAction, type AgentDecision, decideDealAction, type Explained } from "@crm/ai";
import { type AiAgentOutcome, aiAgentDecisions, deals, newId, notifications } from "@crm/db";
import { ApiError } from "@crm/errors";
import type { BatchItem } from "drizzle-orm/batch";
import { desc, eq, sql } from "drizzle-orm";
import { isGuardFailure } from "../../batch-guard";
import type { TenantContext } from "../../context";
import { moveDealsQueries } from "../../deals/move";
import type { DealRow } from "../../deals/serialize";
import { dealSaveQueries, findVisibleDeal, sameDeal } from "../../deals/write";
import type { SendDeps } from "../../outreach/send";
import { newTaskRow, taskCreateQueries } from "../../tasks/tasks";
import { getAiAgentSettings } from "../settings";
import { type AgentDecisionRow, type PublicAgentDecision, withDealNames } from "./decisions";
import { findDueDeals, type GatheredDeal, gatherDealInput, stagesByPipeline } from "./gather";
import { sendAgentFollowUp } from "./send-follow-up";

/** The actor the agent's writes are audited under. */
export const agentActor = { type: "system", id: "ai-agent" } as const;

export interface AgentRunOptions {
  now: Date;
  /** Decide this deal only (due or not); otherwise the tenant's due deals. */
  dealId?: string | undefined;
  /** "cron", or the person / API key who asked. */
  triggeredBy: string;
  /**
   * Leave out a deal whose latest decision says exactly the same (the hourly run in suggest
   * mode sees the same due deal every hour until a person acts).
   */
  skipRepeats?: boolean;
}

export interface AgentRun {
  runId: string;
  mode: "suggest" | "act";
  at: string;
  decisions: PublicAgentDecision[];
}

const dayOf = (iso: string | null) => (iso ? iso.slice(0, 10) : null);

/** Runs the agent for the tenant. Refused (409) while the tenant's agent is off. */
export async function runPipelineAgent(
  ctx: TenantContext,
  deps: SendDeps,
  options: AgentRunOptions,
): Promise<AgentRun> {
  const { mode } = await getAiAgentSettings(ctx);
  if (mode === "off")
    throw new ApiError(
      "CONFLICT",
      "The pipeline agent is off for this organization; set agent.mode to suggest or act in the AI settings first",
    );
  const agentCtx: TenantContext = { ...ctx, actor: agentActor };
  const runId = newId("aiAgentRun");
  const dueDeals = options.dealId ? [await findVisibleDeal(ctx, options.dealId)] : await findDueDeals(ctx, options.now);
  const stages = await stagesByPipeline(
    ctx,
    dueDeals.map((d) => d.pipelineId),
  );
  const rows: AgentDecisionRow[] = [];
  for (const deal of dueDeals) {
    const gathered = await gatherDealInput(ctx, deal, stages.get(deal.pipelineId) ?? [], options.now);
    if (!gathered) continue;
    const decided = decideDealAction(gathered.input);
    if (options.skipRepeats && (await repeatsLatest(ctx, deal.id, decided.result))) continue;
    const row = await (mode === "act"
      ? carryOut(agentCtx, deps, gathered, decided, { runId, triggeredBy: options.triggeredBy, now: options.now })
      : logOnly(ctx, gathered, decided, { runId, triggeredBy: options.triggeredBy, now: options.now }));
    rows.push(row);
  }
  return { runId, mode, at: options.now.toISOString(), decisions: await withDealNames(ctx, rows) };
}

async function repeatsLatest(ctx: TenantContext, dealId: string, decision: AgentDecision): Promise<boolean> {
  const [last] = await ctx.db.findMany(aiAgentDecisions, {
    where: eq(aiAgentDecisions.dealId, dealId),
    orderBy: desc(aiAgentDecisions.id),
    limit: 1,
  });
  return !!last && last.type === decision.type && JSON.stringify(last.action) === JSON.stringify(decision.action);
}

interface RunInfo {
  runId: string;
  triggeredBy: string;
  now: Date;
}

function decisionRow(
  ctx: TenantContext,
  gathered: GatheredDeal,
  decided: Explained<AgentDecision>,
  info: RunInfo,
  mode: "suggest" | "act",
  outcome: AiAgentOutcome,
  outcomeDetail: string | null,
  id = newId("aiAgentDecision"),
): AgentDecisionRow {
  return {
    id,
    tenantId: ctx.tenant.id,
    dealId: gathered.deal.id,
    runId: info.runId,
    type: decided.result.type,
    action: decided.result.action as unknown as Record<string, unknown>,
    explanation: decided.explanation,
    reasoning: decided.result.reasoning,
    factors: decided.factors,
    inputs: decided.result.inputs as unknown as Record<string, unknown>,
    engine: decided.engine.engine,
    model: decided.engine.model,
    modelVersion: decided.engine.version,
    mode,
    outcome,
    outcomeDetail,
    triggeredBy: info.triggeredBy,
    createdAt: info.now,
  };
}

function insertDecision(ctx: TenantContext, row: AgentDecisionRow) {
  const { tenantId: _tenantId, ...values } = row;
  return ctx.db.insertQuery(aiAgentDecisions, values);
}

/** What the decision would do, in words (the suggestion a person reads). */
export function actionInWords(action: AgentAction, deal: { name: string }): string {
  switch (action.kind) {
    case "move_stage":
      return `Move ${deal.name} to ${action.toStageName}${action.lostReason ? ` (lost: ${action.lostReason})` : ""}.`;
    case "send_email":
      return `Send follow-up email ${action.followUpNumber} for ${deal.name}.`;
    case "wait":
      return action.until ? `Wait until ${dayOf(action.until)}.` : "Wait: nothing is due.";
    case "flag_for_review":
      return `Flag ${deal.name} for review: ${action.suggestion}`;
  }
}

async function logOnly(
  ctx: TenantContext,
  gathered: GatheredDeal,
  decided: Explained<AgentDecision>,
  info: RunInfo,
): Promise<AgentDecisionRow> {
  const row = decisionRow(
    ctx,
    gathered,
    decided,
    info,
    "suggest",
    "suggested",
    `Suggested only: ${actionInWords(decided.result.action, gathered.deal)}`,
  );
  await ctx.db.batch([insertDecision(ctx, row)]);
  return row;
}

/** The deal with its next action date changed: its save statements (audit, events), none when unchanged. */
async function nextActionQueries(ctx: TenantContext, deal: DealRow, nextActionAt: Date | null, now: Date) {
  const after: DealRow = { ...deal, nextActionAt, updatedAt: now };
  if (sameDeal(deal, after)) return [];
  return dealSaveQueries(ctx, deal, after);
}

const asDate = (iso: string | null) => (iso ? new Date(iso) : null);

/** Carries one decision out (act mode) and logs it with its outcome, in one batch per deal. */
async function carryOut(
  ctx: TenantContext,
  deps: SendDeps,
  gathered: GatheredDeal,
  decided: Explained<AgentDecision>,
  info: RunInfo,
): Promise<AgentDecisionRow> {
  const { deal } = gathered;
  const action = decided.result.action;
  const id = newId("aiAgentDecision");
  const row = (outcome: AiAgentOutcome, detail: string) =>
    decisionRow(ctx, gathered, decided, info, "act", outcome, detail, id);
  const write = async (logged: AgentDecisionRow, queries: BatchItem<"sqlite">[]) => {
    await ctx.db.batch([insertDecision(ctx, logged), ...queries] as unknown as [
      BatchItem<"sqlite">,
      ...BatchItem<"sqlite">[],
    ]);
    return logged;
  };
  try {
    switch (action.kind) {
      case "wait": {
        const until = action.until ?? decided.result.nextCheckAt;
        return await write(
          row(
            "applied",
            until
              ? `Next action date set to ${dayOf(until)}.`
              : "Next action date cleared: nothing is due; the daily review lists the deal if it stalls.",
          ),
          await nextActionQueries(ctx, deal, asDate(until), info.now),
        );
      }
      case "move_stage": {
        const target = (await stagesByPipeline(ctx, [deal.pipelineId]))
          .get(deal.pipelineId)
          ?.find((s) => s.id === action.toStageId);
        if (!target) return await write(row("failed", `Stage ${action.toStageName} no longer exists.`), []);
        const { queries, after } = moveDealsQueries(ctx, [deal], target, {
          now: info.now,
          lostReason: action.lostReason ?? undefined,
        });
        // A move made meanwhile by a person aborts this one (as for a person's move).
        const guard = ctx.db.updateQuery(
          deals,
          { name: sql`case when ${deals.stageId} = ${deal.stageId} then ${deals.name} else null end` },
          eq(deals.id, deal.id),
        );
        const moved = after[0]!;
        try {
          return await write(row("applied", `Moved from ${gathered.stage.name} to ${target.name}.`), [
            guard,
            ...queries,
            ...(await nextActionQueries(ctx, moved, asDate(decided.result.nextCheckAt), info.now)),
          ]);
        } catch (error) {
          if (!isGuardFailure(error, deals.name)) throw error;
          return await write(row("skipped", "The deal was moved by someone else meanwhile."), []);
        }
      }
      case "send_email": {
        const sent = await sendAgentFollowUp(ctx, deps, {
          decisionId: id,
          deal,
          contact: gathered.contact,
          followUpNumber: action.followUpNumber,
          now: info.now,
        });
        if (sent.outcome === "skipped") return await write(row("skipped", sent.reason), []);
        if (sent.outcome === "failed")
          return await write(row("failed", `The email could not be sent: ${sent.error}`), []);
        return await write(row("applied", `Sent "${sent.subject}" to ${sent.to} (message ${sent.messageId}).`), [
          ...sent.queries,
          ...(await nextActionQueries(ctx, deal, asDate(decided.result.nextCheckAt), info.now)),
        ]);
      }
      case "flag_for_review": {
        const task = await newTaskRow(ctx, {
          title: action.task?.title ?? `Review ${deal.name}`,
          description: `${action.suggestion}\n\nWhy: ${decided.explanation}`,
          dueAt: action.task ? new Date(action.task.dueAt) : info.now,
          priority: action.task ? "normal" : "high",
          recordType: "deal",
          recordId: deal.id,
          assigneeId: deal.ownerId,
          ownerId: deal.ownerId,
        });
        const queries = [
          ...(await taskCreateQueries(ctx, task)),
          // A person has the deal now; the agent looks again when someone sets a next action date.
          ...(await nextActionQueries(ctx, deal, null, info.now)),
        ];
        if (deal.ownerId) {
          queries.push(
            ctx.db.insertQuery(notifications, {
              id: newId("notification"),
              userId: deal.ownerId,
              message: `The AI agent flagged ${deal.name} for review: ${action.suggestion}`,
              recordType: "deal",
              recordId: deal.id,
              workflowId: null,
              executionId: null,
              readAt: null,
              createdAt: info.now,
            }),
          );
        }
        return await write(
          row(
            "applied",
            `Task "${task.title}" created${deal.ownerId ? " for the deal's owner, who was notified" : " (the deal has no owner to notify)"}.`,
          ),
          queries,
        );
      }
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return write(row("failed", message.slice(0, 1000)), []);
  }
}
