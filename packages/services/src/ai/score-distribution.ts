import { type AiModelKind, aiScores, contacts } from "@crm/db";
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { TenantContext } from "../context";
import { visibilityCondition } from "../records/visibility";

/** The levels of each kind, in the order a chart shows them (best or safest first). */
export const scoreLevels = {
  lead_score: ["hot", "warm", "cold", "nurture", "inactive"],
  churn: ["low", "medium", "high", "critical"],
} as const satisfies Record<AiModelKind, readonly string[]>;

/** Ten bins of width 10; a score of 100 falls in the last (90-100). */
const binCount = 10;
const topCount = 10;

/**
 * How the tenant's stored scores of one kind spread: a 0-100 histogram split by level, the count
 * per level, and the highest-scored contacts. Only contacts that still exist and that the caller
 * may see are counted (a deleted contact's score row is left behind).
 */
export async function scoreDistribution(ctx: TenantContext, kind: AiModelKind) {
  const visible = await visibilityCondition(ctx, contacts.ownerId);
  const where = and(
    eq(aiScores.recordType, "contact"),
    eq(aiScores.kind, kind),
    inArray(aiScores.recordId, ctx.db.scopedSelectIds(contacts, contacts.id, visible)),
  );
  const bin = sql<number>`min(${aiScores.score} / 10, ${binCount - 1})`;
  const [cells, overall, top] = await Promise.all([
    ctx.db.aggregateQuery(
      aiScores,
      { bin, level: aiScores.level, count: sql<number>`count(*)` },
      { where, groupBy: [bin, aiScores.level] },
    ),
    ctx.db.aggregateQuery(
      aiScores,
      {
        total: sql<number>`count(*)`,
        average: sql<number | null>`avg(${aiScores.score})`,
        overridden: sql<number>`count(${aiScores.overrideScore})`,
      },
      { where },
    ),
    ctx.db.findMany(aiScores, {
      where,
      orderBy: [desc(aiScores.score), asc(aiScores.recordId)],
      limit: topCount,
    }),
  ]);

  const levels: readonly string[] = scoreLevels[kind];
  const emptyLevels = () => Object.fromEntries(levels.map((level) => [level, 0])) as Record<string, number>;
  const bins = Array.from({ length: binCount }, (_, i) => ({
    from: i * 10,
    to: i === binCount - 1 ? 100 : i * 10 + 9,
    count: 0,
    levels: emptyLevels(),
  }));
  const perLevel = emptyLevels();
  for (const cell of cells) {
    const target = bins[cell.bin]!;
    target.count += cell.count;
    target.levels[cell.level] = (target.levels[cell.level] ?? 0) + cell.count;
    perLevel[cell.level] = (perLevel[cell.level] ?? 0) + cell.count;
  }

  const people = top.length
    ? await ctx.db.findMany(contacts, {
        where: inArray(
          contacts.id,
          top.map((t) => t.recordId),
        ),
      })
    : [];
  const byId = new Map(people.map((p) => [p.id, p]));
  const { total = 0, average = null, overridden = 0 } = overall[0] ?? {};
  return {
    kind,
    total,
    averageScore: average === null ? null : Math.round(average * 10) / 10,
    overridden,
    levels: Object.entries(perLevel).map(([level, count]) => ({ level, count })),
    bins,
    top: top.map((t) => {
      const person = byId.get(t.recordId);
      const name = [person?.firstName, person?.lastName].filter(Boolean).join(" ");
      return {
        contactId: t.recordId,
        name: name || person?.primaryEmail || t.recordId,
        email: person?.primaryEmail ?? null,
        lifecycleStage: person?.lifecycleStage ?? null,
        score: t.score,
        level: t.level,
        overridden: t.overrideScore !== null,
        scoredAt: t.scoredAt.toISOString(),
      };
    }),
  };
}

export type ScoreDistribution = Awaited<ReturnType<typeof scoreDistribution>>;
