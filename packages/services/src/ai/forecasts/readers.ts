// What each forecast reads from D1: per-period aggregates over the tenant's rows (grouped in
// SQL, so a tenant of 100,000 contacts sends back one row per period), and the few per-deal
// columns the weighted pipeline needs. Every read goes through TenantDb and the caller's
// record visibility, like the stats.
import type { DealRow, PipelineStageRow } from "@crm/ai";
import {
  contactLifecycleHistory,
  contacts,
  deals,
  dealStageHistory,
  type LifecycleStage,
  leads,
  pipelines,
  pipelineStages,
} from "@crm/db";
import { and, asc, eq, gte, inArray, isNotNull, lt, or, sql, type SQL } from "drizzle-orm";
import type { TenantContext } from "../../context";
import { loadPipeline } from "../../pipelines/pipelines";
import { visibilityCondition } from "../../records/visibility";
import { fromDay, periodStartSql, type Window } from "./periods";

const count = sql<number>`count(*)`;

/** Won deals per period of their close: count and value (value only in `currency` when given). */
export async function wonDealsPerPeriod(
  ctx: TenantContext,
  window: Window,
  filter: { pipelineId?: string | undefined; currency?: string | undefined },
): Promise<{ start: string; value: number; count: number }[]> {
  const where = and(
    eq(deals.status, "won"),
    gte(deals.closedAt, window.first),
    lt(deals.closedAt, window.current),
    filter.pipelineId ? eq(deals.pipelineId, filter.pipelineId) : undefined,
    filter.currency ? eq(deals.currency, filter.currency) : undefined,
    await visibilityCondition(ctx, deals.ownerId),
  );
  const start = periodStartSql(deals.closedAt, window.unit);
  return ctx.db.aggregateQuery(
    deals,
    { start, value: sql<number>`coalesce(sum(${deals.value}), 0)`, count },
    { where, groupBy: [start] },
  );
}

/**
 * The currency revenue is counted in: the one asked for, else the one most of the tenant's
 * won and open deals use (there are no exchange rates, so other currencies are left out and
 * counted). With no deals at all, USD (the deals' default).
 */
export async function dealCurrencies(
  ctx: TenantContext,
  pipelineId: string | undefined,
): Promise<{ currency: string; count: number }[]> {
  const rows = await ctx.db.aggregateQuery(
    deals,
    { currency: deals.currency, count },
    {
      where: and(
        inArray(deals.status, ["won", "active"]),
        pipelineId ? eq(deals.pipelineId, pipelineId) : undefined,
        await visibilityCondition(ctx, deals.ownerId),
      ),
      groupBy: [deals.currency],
    },
  );
  return rows.sort((a, b) => b.count - a.count || a.currency.localeCompare(b.currency));
}

export interface PipelineInput {
  id: string;
  name: string;
  stages: PipelineStageRow[];
  /** Open and paused deals with what the weighted pipeline reads, plus their currency. */
  openDeals: (DealRow & { currency: string })[];
  /** Closed deals as the win-rate learner reads them: status, stage, stages visited (no close date: history is read in SQL). */
  closedDeals: DealRow[];
}

/**
 * Each pipeline in scope (one, or every pipeline), with its stages, open deals and closed deals.
 * A won deal reached every open stage, so won deals are read as a count per pipeline; a lost
 * deal's furthest stage comes from its stage history.
 */
export async function pipelineInputs(ctx: TenantContext, pipelineId: string | undefined): Promise<PipelineInput[]> {
  const visible = await visibilityCondition(ctx, deals.ownerId);
  const inScope = pipelineId ? eq(deals.pipelineId, pipelineId) : undefined;
  let scope: { id: string; name: string }[];
  let stageRows: (typeof pipelineStages.$inferSelect)[];
  if (pipelineId) {
    const { pipeline, stages } = await loadPipeline(ctx, pipelineId);
    scope = [pipeline];
    stageRows = stages;
  } else {
    const [all, stages] = await ctx.db.batch([
      ctx.db.selectQuery(pipelines, { orderBy: [asc(pipelines.position), asc(pipelines.id)] }),
      ctx.db.selectQuery(pipelineStages, { orderBy: [asc(pipelineStages.position), asc(pipelineStages.id)] }),
    ]);
    scope = all as { id: string; name: string }[];
    stageRows = stages as (typeof pipelineStages.$inferSelect)[];
  }
  const lost = and(eq(deals.status, "lost"), inScope, visible);
  const [open, won, lostDeals, visited] = (await ctx.db.batch([
    ctx.db.aggregateQuery(
      deals,
      {
        id: deals.id,
        pipelineId: deals.pipelineId,
        stageId: deals.stageId,
        status: deals.status,
        value: deals.value,
        probability: deals.probability,
        expectedCloseDate: deals.expectedCloseDate,
        currency: deals.currency,
      },
      { where: and(inArray(deals.status, ["active", "paused"]), inScope, visible) },
    ),
    ctx.db.aggregateQuery(
      deals,
      { pipelineId: deals.pipelineId, count },
      { where: and(eq(deals.status, "won"), inScope, visible), groupBy: [deals.pipelineId] },
    ),
    ctx.db.aggregateQuery(
      deals,
      { id: deals.id, pipelineId: deals.pipelineId, stageId: deals.stageId },
      { where: lost },
    ),
    ctx.db.aggregateQuery(
      dealStageHistory,
      { dealId: dealStageHistory.dealId, stageId: dealStageHistory.stageId },
      {
        where: inArray(dealStageHistory.dealId, ctx.db.scopedSelectIds(deals, deals.id, lost)),
        groupBy: [dealStageHistory.dealId, dealStageHistory.stageId],
      },
    ),
  ])) as [
    {
      id: string;
      pipelineId: string;
      stageId: string;
      status: "active" | "paused";
      value: number;
      probability: number | null;
      expectedCloseDate: string | null;
      currency: string;
    }[],
    { pipelineId: string; count: number }[],
    { id: string; pipelineId: string; stageId: string }[],
    { dealId: string; stageId: string }[],
  ];
  const history = new Map<string, string[]>();
  for (const row of visited) history.set(row.dealId, [...(history.get(row.dealId) ?? []), row.stageId]);
  const wonCount = new Map(won.map((row) => [row.pipelineId, row.count]));
  return scope.map((pipeline) => {
    const stages = stageRows
      .filter((s) => s.pipelineId === pipeline.id)
      .map((s) => ({
        id: s.id,
        name: s.name,
        position: s.position,
        probability: s.probability,
        isWon: s.isWon,
        isLost: s.isLost,
      }));
    const closedDeals: DealRow[] = lostDeals
      .filter((d) => d.pipelineId === pipeline.id)
      .map((d) => ({ id: d.id, stageId: d.stageId, status: "lost", value: 0, stageHistory: history.get(d.id) ?? [] }));
    // Won deals all reached every open stage: the learner needs only how many there were.
    const firstStage = stages[0]?.id ?? "";
    for (let i = 0; i < (wonCount.get(pipeline.id) ?? 0); i++)
      closedDeals.push({ id: `won-${i}`, stageId: firstStage, status: "won", value: 0 });
    return {
      id: pipeline.id,
      name: pipeline.name,
      stages,
      openDeals: open.filter((d) => d.pipelineId === pipeline.id),
      closedDeals,
    };
  });
}

/** Leads per creation period and conversion period (null: not converted), created inside the window. */
export async function leadCohorts(
  ctx: TenantContext,
  window: Window,
): Promise<{ createdAt: Date; convertedAt: Date | null }[]> {
  const created = periodStartSql(leads.createdAt, window.unit);
  const converted = sql<
    string | null
  >`case when ${leads.convertedAt} is null then null else ${periodStartSql(leads.convertedAt, window.unit)} end`;
  const rows = await ctx.db.aggregateQuery(
    leads,
    { created, converted, count },
    {
      where: and(gte(leads.createdAt, window.first), await visibilityCondition(ctx, leads.ownerId)),
      groupBy: [created, converted],
    },
  );
  // One row per lead again, dated at its periods' starts: the engine counts cohorts from rows.
  const out: { createdAt: Date; convertedAt: Date | null }[] = [];
  for (const row of rows) {
    const createdAt = fromDay(row.created);
    const convertedAt = row.converted ? fromDay(row.converted) : null;
    for (let i = 0; i < row.count; i++) out.push({ createdAt, convertedAt });
  }
  return out;
}

/** Contacts created per period inside the window, and how many were created before it. */
export async function contactsCreated(
  ctx: TenantContext,
  window: Window,
): Promise<{ perPeriod: { start: string; count: number }[]; before: number }> {
  const visible = await visibilityCondition(ctx, contacts.ownerId);
  const start = periodStartSql(contacts.createdAt, window.unit);
  const [perPeriod, before] = (await ctx.db.batch([
    ctx.db.aggregateQuery(
      contacts,
      { start, count },
      {
        where: and(gte(contacts.createdAt, window.first), lt(contacts.createdAt, window.current), visible),
        groupBy: [start],
      },
    ),
    ctx.db.aggregateQuery(contacts, { count }, { where: and(lt(contacts.createdAt, window.first), visible) }),
  ])) as [{ start: string; count: number }[], { count: number }[]];
  return { perPeriod, before: before[0]?.count ?? 0 };
}

/** Stages a customer is in: a move from these to any other stage is churn. */
export const customerStages: readonly LifecycleStage[] = ["customer", "evangelist"];

/**
 * Customer spans from the contacts' lifecycle history: a span starts when a contact enters
 * customer (or evangelist) and ends, churned, when it moves from those to any other stage.
 * A contact can have several spans (won back after churning).
 */
export async function customerSpans(
  ctx: TenantContext,
): Promise<{ contactId: string; startedAt: Date; churnedAt: Date | null }[]> {
  const h = contactLifecycleHistory;
  const visible = await visibilityCondition(ctx, contacts.ownerId);
  const where: SQL | undefined = and(
    or(inArray(h.toStage, [...customerStages]), and(isNotNull(h.fromStage), inArray(h.fromStage, [...customerStages]))),
    visible ? inArray(h.contactId, ctx.db.scopedSelectIds(contacts, contacts.id, visible)) : undefined,
  );
  const rows = await ctx.db.aggregateQuery(
    h,
    { id: h.id, contactId: h.contactId, toStage: h.toStage, changedAt: h.changedAt },
    { where },
  );
  rows.sort(
    (a, b) =>
      a.contactId.localeCompare(b.contactId) ||
      a.changedAt.getTime() - b.changedAt.getTime() ||
      a.id.localeCompare(b.id),
  );
  const spans: { contactId: string; startedAt: Date; churnedAt: Date | null }[] = [];
  let open: { contactId: string; startedAt: Date } | null = null;
  for (const row of rows) {
    if (open && open.contactId !== row.contactId) {
      spans.push({ ...open, churnedAt: null });
      open = null;
    }
    const isCustomer = customerStages.includes(row.toStage);
    if (!open && isCustomer) open = { contactId: row.contactId, startedAt: row.changedAt };
    else if (open && !isCustomer) {
      spans.push({ ...open, churnedAt: row.changedAt });
      open = null;
    }
  }
  if (open) spans.push({ ...open, churnedAt: null });
  return spans;
}
