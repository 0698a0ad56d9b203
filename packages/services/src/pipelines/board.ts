import { deals, dealStatuses } from "@crm/db";
import { and, desc, eq, sql } from "drizzle-orm";
import type { TenantContext } from "../context";
import { type DealRow, publicDeal } from "../deals/serialize";
import { visibilityCondition } from "../records/visibility";
import { loadPipeline } from "./pipelines";
import { publicPipeline } from "./serialize";

export interface BoardOptions {
  /** How many deals each column shows (the highest values first). */
  perStage: number;
  ownerId?: string | undefined;
  status?: (typeof dealStatuses)[number] | undefined;
}

/** Money rounded to cents: sums of doubles otherwise show float noise. */
export const cents = (n: number) => Math.round(n * 100) / 100;

/**
 * The kanban view: every stage in order with its deal count, total and weighted value
 * (value x probability / 100) and its first `perStage` deals by value. One grouped
 * aggregate plus one index range per stage, all in a single D1 round trip.
 */
export async function pipelineBoard(ctx: TenantContext, pipelineId: string, options: BoardOptions) {
  const { pipeline, stages } = await loadPipeline(ctx, pipelineId);
  const filter = and(
    eq(deals.pipelineId, pipelineId),
    options.ownerId ? eq(deals.ownerId, options.ownerId) : undefined,
    options.status ? eq(deals.status, options.status) : undefined,
    await visibilityCondition(ctx, deals.ownerId),
  );
  const totalsQuery = ctx.db.aggregateQuery(
    deals,
    {
      stageId: deals.stageId,
      count: sql<number>`count(*)`,
      totalValue: sql<number>`coalesce(sum(${deals.value}), 0)`,
      weightedValue: sql<number>`coalesce(sum(${deals.value} * coalesce(${deals.probability}, 0) / 100.0), 0)`,
    },
    { where: filter, groupBy: [deals.stageId] },
  );
  const columnQueries = stages.map((stage) =>
    ctx.db.selectQuery(deals, {
      where: and(filter, eq(deals.stageId, stage.id)),
      // By value alone: (tenant, pipeline, stage, value) then serves each column as one index range.
      // With an id tiebreak SQLite prefers (tenant, value, id) and scans all the tenant's deals for a sparse stage.
      orderBy: desc(deals.value),
      limit: options.perStage,
    }),
  );
  const [totals, ...columns] = (await ctx.db.batch([totalsQuery, ...columnQueries])) as [
    { stageId: string; count: number; totalValue: number; weightedValue: number }[],
    ...DealRow[][],
  ];
  const byStage = new Map(totals.map((t) => [t.stageId, t]));
  const { stages: orderedStages, ...summary } = publicPipeline(pipeline, stages);
  return {
    pipeline: summary,
    stages: orderedStages.map((stage, i) => {
      const total = byStage.get(stage.id);
      const count = total?.count ?? 0;
      const shown = (columns[i] ?? []).map(publicDeal);
      return {
        stage,
        count,
        totalValue: cents(total?.totalValue ?? 0),
        weightedValue: cents(total?.weightedValue ?? 0),
        deals: shown,
        hasMore: count > shown.length,
      };
    }),
  };
}
