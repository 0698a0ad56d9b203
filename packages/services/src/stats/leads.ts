import { leads, leadStages } from "@crm/db";
import { and, isNotNull, sql } from "drizzle-orm";
import type { TenantContext } from "../context";
import { visibilityCondition } from "../records/visibility";
import { assertRange, inRange, type StatsRange } from "./range";

/**
 * Lead figures over the leads the caller may see that were created in the range: counts
 * by stage (every stage listed, in funnel order), by source and by owner (null: none /
 * unassigned), plus how many of them were converted. SQL aggregates, one D1 round trip.
 */
export async function leadStats(ctx: TenantContext, range: StatsRange) {
  assertRange(range);
  const where = and(await visibilityCondition(ctx, leads.ownerId), ...inRange(leads.createdAt, range));
  const count = sql<number>`count(*)`;
  const [byStage, bySource, byOwner, converted] = (await ctx.db.batch([
    ctx.db.aggregateQuery(leads, { stage: leads.stage, count }, { where, groupBy: [leads.stage] }),
    ctx.db.aggregateQuery(leads, { source: leads.source, count }, { where, groupBy: [leads.source] }),
    ctx.db.aggregateQuery(leads, { ownerId: leads.ownerId, count }, { where, groupBy: [leads.ownerId] }),
    ctx.db.aggregateQuery(leads, { count }, { where: and(where, isNotNull(leads.convertedAt)) }),
  ])) as [
    { stage: (typeof leadStages)[number]; count: number }[],
    { source: string | null; count: number }[],
    { ownerId: string | null; count: number }[],
    { count: number }[],
  ];
  const stageCounts = new Map(byStage.map((row) => [row.stage, row.count]));
  const byCountThenKey =
    <T extends { count: number }>(key: (row: T) => string | null) =>
    (a: T, b: T) =>
      b.count - a.count || (key(a) ?? "").localeCompare(key(b) ?? "");
  return {
    from: range.from?.toISOString() ?? null,
    to: range.to?.toISOString() ?? null,
    total: byStage.reduce((sum, row) => sum + row.count, 0),
    converted: converted[0]?.count ?? 0,
    byStage: leadStages.map((stage) => ({ stage, count: stageCounts.get(stage) ?? 0 })),
    bySource: [...bySource]
      .sort(byCountThenKey((r) => r.source))
      .map((row) => ({ source: row.source, count: row.count })),
    byOwner: [...byOwner]
      .sort(byCountThenKey((r) => r.ownerId))
      .map((row) => ({ ownerId: row.ownerId, count: row.count })),
  };
}
