import { deals, pipelines, pipelineStages } from "@crm/db";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { TenantContext } from "../context";
import { cents } from "../pipelines/board";
import { loadPipeline } from "../pipelines/pipelines";
import { byPosition, type PipelineRow, type StageRow } from "../pipelines/serialize";
import { visibilityCondition } from "../records/visibility";
import { assertRange, inRange, roundTo, type StatsRange } from "./range";

export interface PipelineStatsQuery extends StatsRange {
  pipelineId?: string | undefined;
}

const msPerDay = 86_400_000;

/**
 * Pipeline figures over the deals the caller may see, as SQL aggregates on tenant-leading
 * indexes in one D1 round trip:
 * - byStage: count, value and weighted value (value x probability / 100) of the deals in
 *   each stage, for deals created in the range;
 * - forecast: the weighted value of the open (active) deals created in the range;
 * - winRate: won / (won + lost) over deals closed in the range (null when none closed);
 * - averageCycleDays: mean days from creation to close of the deals won in the range.
 */
export async function pipelineStats(ctx: TenantContext, query: PipelineStatsQuery) {
  assertRange(query);
  let scope: { pipelines: PipelineRow[]; stages: StageRow[] };
  if (query.pipelineId) {
    const { pipeline, stages } = await loadPipeline(ctx, query.pipelineId);
    scope = { pipelines: [pipeline], stages };
  } else {
    const all = await ctx.db.findMany(pipelines, { orderBy: [asc(pipelines.position), asc(pipelines.id)] });
    const stages =
      all.length > 0
        ? await ctx.db.findMany(pipelineStages, {
            where: inArray(
              pipelineStages.pipelineId,
              all.map((p) => p.id),
            ),
          })
        : [];
    scope = { pipelines: all, stages };
  }
  const base = and(
    query.pipelineId ? eq(deals.pipelineId, query.pipelineId) : undefined,
    await visibilityCondition(ctx, deals.ownerId),
  );
  const weighted = sql<number>`coalesce(sum(${deals.value} * coalesce(${deals.probability}, 0) / 100.0), 0)`;
  const [byStage, open, closed] = (await ctx.db.batch([
    ctx.db.aggregateQuery(
      deals,
      {
        stageId: deals.stageId,
        count: sql<number>`count(*)`,
        value: sql<number>`coalesce(sum(${deals.value}), 0)`,
        weightedValue: weighted,
      },
      // A stage belongs to one pipeline, so grouping by both is the same grouping, read in
      // the order of (tenant, pipeline, stage, ...) instead of sorted afresh.
      { where: and(base, ...inRange(deals.createdAt, query)), groupBy: [deals.pipelineId, deals.stageId] },
    ),
    ctx.db.aggregateQuery(
      deals,
      { count: sql<number>`count(*)`, value: sql<number>`coalesce(sum(${deals.value}), 0)`, weightedValue: weighted },
      { where: and(base, eq(deals.status, "active"), ...inRange(deals.createdAt, query)) },
    ),
    ctx.db.aggregateQuery(
      deals,
      {
        status: deals.status,
        count: sql<number>`count(*)`,
        value: sql<number>`coalesce(sum(${deals.value}), 0)`,
        cycleMs: sql<number | null>`avg(${deals.closedAt} - ${deals.createdAt})`,
      },
      {
        where: and(base, inArray(deals.status, ["won", "lost"]), ...inRange(deals.closedAt, query)),
        groupBy: [deals.status],
      },
    ),
  ])) as [
    { stageId: string; count: number; value: number; weightedValue: number }[],
    { count: number; value: number; weightedValue: number }[],
    { status: "won" | "lost"; count: number; value: number; cycleMs: number | null }[],
  ];
  const stageTotals = new Map(byStage.map((row) => [row.stageId, row]));
  const pipelineOrder = new Map(scope.pipelines.map((p, i) => [p.id, i]));
  const won = closed.find((row) => row.status === "won");
  const lost = closed.find((row) => row.status === "lost");
  const wonCount = won?.count ?? 0;
  const lostCount = lost?.count ?? 0;
  return {
    pipelineId: query.pipelineId ?? null,
    from: query.from?.toISOString() ?? null,
    to: query.to?.toISOString() ?? null,
    byStage: [...scope.stages]
      .sort(
        (a, b) => (pipelineOrder.get(a.pipelineId) ?? 0) - (pipelineOrder.get(b.pipelineId) ?? 0) || byPosition(a, b),
      )
      .map((stage) => {
        const totals = stageTotals.get(stage.id);
        return {
          pipelineId: stage.pipelineId,
          stageId: stage.id,
          name: stage.name,
          isWon: stage.isWon,
          isLost: stage.isLost,
          count: totals?.count ?? 0,
          value: cents(totals?.value ?? 0),
          weightedValue: cents(totals?.weightedValue ?? 0),
        };
      }),
    open: { count: open[0]?.count ?? 0, value: cents(open[0]?.value ?? 0) },
    weightedForecast: cents(open[0]?.weightedValue ?? 0),
    won: { count: wonCount, value: cents(won?.value ?? 0) },
    lost: { count: lostCount, value: cents(lost?.value ?? 0) },
    winRate: wonCount + lostCount > 0 ? roundTo(wonCount / (wonCount + lostCount), 4) : null,
    averageCycleDays: won?.cycleMs != null ? roundTo(won.cycleMs / msPerDay, 2) : null,
  };
}
