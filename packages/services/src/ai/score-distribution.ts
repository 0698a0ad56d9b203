import { type AiModelKind, aiScores, contacts, leads } from "@crm/db";
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

/** The records whose stored scores a distribution counts: contacts, or leads (lead scores only). */
export type DistributionRecordType = "contact" | "lead";

/**
 * How the tenant's stored scores of one kind spread: a 0-100 histogram split by level, the count
 * per level, and the highest-scored records. Only records that still exist and that the caller
 * may see are counted (a deleted record's score row is left behind). Leads carry lead scores
 * only (churn risk is a customer's, so a contact's).
 */
export async function scoreDistribution(
  ctx: TenantContext,
  kind: AiModelKind,
  recordType: DistributionRecordType = "contact",
) {
  const table = recordType === "lead" ? leads : contacts;
  const visible = await visibilityCondition(ctx, table.ownerId);
  const where = and(
    eq(aiScores.recordType, recordType),
    eq(aiScores.kind, kind),
    inArray(aiScores.recordId, ctx.db.scopedSelectIds(table, table.id, visible)),
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

  const names = await recordNames(
    ctx,
    recordType,
    top.map((t) => t.recordId),
  );
  const { total = 0, average = null, overridden = 0 } = overall[0] ?? {};
  return {
    kind,
    recordType,
    total,
    averageScore: average === null ? null : Math.round(average * 10) / 10,
    overridden,
    levels: Object.entries(perLevel).map(([level, count]) => ({ level, count })),
    bins,
    top: top.map((t) => {
      const record = names.get(t.recordId);
      return {
        recordType,
        recordId: t.recordId,
        contactId: recordType === "contact" ? t.recordId : null,
        name: record?.name || record?.email || t.recordId,
        email: record?.email ?? null,
        lifecycleStage: record?.stage ?? null,
        score: t.score,
        level: t.level,
        overridden: t.overrideScore !== null,
        scoredAt: t.scoredAt.toISOString(),
      };
    }),
  };
}

/** The top records' names, emails and stages (a contact's lifecycle stage, a lead's stage). */
async function recordNames(
  ctx: TenantContext,
  recordType: DistributionRecordType,
  ids: string[],
): Promise<Map<string, { name: string; email: string | null; stage: string | null }>> {
  if (ids.length === 0) return new Map();
  const personName = (first: string | null, last: string | null) => [first, last].filter(Boolean).join(" ");
  if (recordType === "lead") {
    const rows = await ctx.db.findMany(leads, { where: inArray(leads.id, ids) });
    return new Map(
      rows.map((l) => [
        l.id,
        { name: personName(l.firstName, l.lastName) || (l.companyName ?? ""), email: l.email, stage: l.stage },
      ]),
    );
  }
  const rows = await ctx.db.findMany(contacts, { where: inArray(contacts.id, ids) });
  return new Map(
    rows.map((c) => [
      c.id,
      { name: personName(c.firstName, c.lastName), email: c.primaryEmail, stage: c.lifecycleStage },
    ]),
  );
}

export type ScoreDistribution = Awaited<ReturnType<typeof scoreDistribution>>;
