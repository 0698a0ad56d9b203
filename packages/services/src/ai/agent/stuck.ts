// The daily review: the tenant's open deals that sat in their stage longer than deals usually
// do there (median of finished stays, from deal_stage_history) or that nobody touched for a
// while. The API answers the current review; the 07 UTC tick logs it as a decision and
// notifies the owners of the stuck deals.
import {
  type DealToReview,
  type Explained,
  findStuckDeals,
  type StuckDeal,
  type TypicalStageTime,
  typicalStageTimes,
} from "@crm/ai";
import { activities, aiAgentDecisions, dealStageHistory, deals, newId, notifications } from "@crm/db";
import type { BatchItem } from "drizzle-orm/batch";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { TenantContext } from "../../context";
import { visibilityCondition } from "../../records/visibility";
import type { PublicAgentDecision } from "./decisions";
import { withDealNames } from "./decisions";
import { stagesByPipeline, stageFacts } from "./gather";
import { agentActor } from "./run";
import { getAiAgentSettings } from "../settings";

/** Open deals reviewed at most (the review reads each one's last activity). */
export const reviewedDealsLimit = 2000;

export interface StuckDealReview {
  at: string;
  review: Explained<StuckDeal[]>;
  typicalStageTimes: (TypicalStageTime & { stageName: string | null })[];
  openDeals: number;
}

export async function reviewStuckDeals(ctx: TenantContext, now: Date): Promise<StuckDealReview> {
  // The deals the caller may see; the typical times come from every deal's history.
  const visible = await visibilityCondition(ctx, deals.ownerId);
  const open = await ctx.db.findMany(deals, {
    where: and(eq(deals.status, "active"), visible),
    orderBy: deals.id,
    limit: reviewedDealsLimit,
  });
  const [history, stages] = await Promise.all([
    ctx.db.findMany(dealStageHistory, { where: sql`${dealStageHistory.leftAt} is not null` }),
    stagesByPipeline(ctx, [...new Set(open.map((d) => d.pipelineId))]),
  ]);
  // The last activity per deal, read in one grouped query per 90 ids (D1's parameter limit).
  const lastActivity = new Map<string, Date>();
  for (let i = 0; i < open.length; i += 90) {
    const ids = open.slice(i, i + 90).map((d) => d.id);
    const grouped = await ctx.db.aggregateQuery(
      activities,
      { recordId: activities.recordId, at: sql<number | null>`max(${activities.occurredAt})` },
      {
        where: and(eq(activities.recordType, "deal"), inArray(activities.recordId, ids)),
        groupBy: [activities.recordId],
      },
    );
    for (const g of grouped) if (g.at !== null) lastActivity.set(g.recordId, new Date(g.at));
  }
  const typical = typicalStageTimes(
    history.map((h) => ({ stageId: h.stageId, enteredAt: h.enteredAt, leftAt: h.leftAt })),
  );
  const allStages = [...stages.values()].flat();
  const toReview: DealToReview[] = [];
  for (const deal of open) {
    const stage = stages.get(deal.pipelineId)?.find((s) => s.id === deal.stageId);
    if (!stage) continue;
    toReview.push({
      id: deal.id,
      name: deal.name,
      status: deal.status,
      stage: stageFacts(stage),
      stageEnteredAt: deal.stageEnteredAt,
      lastActivityAt: lastActivity.get(deal.id) ?? null,
    });
  }
  return {
    at: now.toISOString(),
    review: findStuckDeals(toReview, { now, typicalTimes: typical }),
    typicalStageTimes: typical.map((t) => ({
      ...t,
      stageName: allStages.find((s) => s.id === t.stageId)?.name ?? null,
    })),
    openDeals: open.length,
  };
}

/**
 * The daily review, logged (a `stuck_review` decision listing the stuck deals) and sent to
 * each stuck deal's owner as one notification. Nothing is logged while the agent is off.
 */
export async function recordStuckDealReview(ctx: TenantContext, now: Date): Promise<PublicAgentDecision | null> {
  const { mode } = await getAiAgentSettings(ctx);
  if (mode === "off") return null;
  const { review, typicalStageTimes: typical, openDeals } = await reviewStuckDeals(ctx, now);
  const stuck = review.result;
  const id = newId("aiAgentDecision");
  const row = {
    id,
    dealId: null,
    runId: newId("aiAgentRun"),
    type: "stuck_review" as const,
    action: { kind: "stuck_review", stuckDeals: stuck },
    explanation: review.explanation,
    reasoning: stuck.map((s) => `${s.dealName}: ${s.explanation}`),
    factors: review.factors,
    inputs: { openDeals, typicalStageTimes: typical },
    engine: review.engine.engine,
    model: review.engine.model,
    modelVersion: review.engine.version,
    mode,
    outcome: "applied" as const,
    outcomeDetail:
      stuck.length === 0
        ? "No deal is stuck; nobody was notified."
        : `${stuck.length} stuck deals; their owners were notified.`,
    triggeredBy: "cron",
    createdAt: now,
  };
  const owners = new Map<string, StuckDeal[]>();
  if (stuck.length > 0) {
    const ownerOf = new Map<string, string | null>();
    for (let i = 0; i < stuck.length; i += 90) {
      const ids = stuck.slice(i, i + 90).map((s) => s.dealId);
      for (const d of await ctx.db.findMany(deals, { where: inArray(deals.id, ids) })) ownerOf.set(d.id, d.ownerId);
    }
    for (const s of stuck) {
      const owner = ownerOf.get(s.dealId);
      if (owner) owners.set(owner, [...(owners.get(owner) ?? []), s]);
    }
  }
  const queries: BatchItem<"sqlite">[] = [ctx.db.insertQuery(aiAgentDecisions, row)];
  for (const [userId, mine] of owners) {
    const names = mine.slice(0, 5).map((s) => s.dealName);
    queries.push(
      ctx.db.insertQuery(notifications, {
        id: newId("notification"),
        userId,
        message: `Daily review: ${mine.length} of your deals ${mine.length === 1 ? "is" : "are"} stuck (${names.join(", ")}${mine.length > 5 ? ", …" : ""}).`,
        recordType: mine.length === 1 ? "deal" : null,
        recordId: mine.length === 1 ? mine[0]!.dealId : null,
        workflowId: null,
        executionId: null,
        readAt: null,
        createdAt: now,
      }),
    );
  }
  await ctx.db.batch(queries as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  const agentCtx = { ...ctx, actor: agentActor };
  return (await withDealNames(agentCtx, [{ ...row, tenantId: ctx.tenant.id }]))[0]!;
}
