// The decision log as the API shows it: what was decided, from which facts, why, by which
// engine, and what came of it; listed newest first with filters.
import { type AiAgentDecisionType, type AiAgentOutcome, aiAgentDecisions, deals } from "@crm/db";
import { ApiError } from "@crm/errors";
import { and, desc, eq, inArray, lt } from "drizzle-orm";
import type { TenantContext } from "../../context";
import { canSeeRecord, visibilityCondition } from "../../records/visibility";

export type AgentDecisionRow = typeof aiAgentDecisions.$inferSelect;

export function publicAgentDecision(row: AgentDecisionRow, dealName: string | null) {
  return {
    id: row.id,
    runId: row.runId,
    dealId: row.dealId,
    dealName,
    type: row.type,
    action: row.action,
    explanation: row.explanation,
    reasoning: row.reasoning,
    factors: row.factors,
    inputs: row.inputs,
    engine: { engine: row.engine, model: row.model, version: row.modelVersion },
    mode: row.mode,
    outcome: row.outcome,
    outcomeDetail: row.outcomeDetail,
    triggeredBy: row.triggeredBy,
    createdAt: row.createdAt.toISOString(),
  };
}

export type PublicAgentDecision = ReturnType<typeof publicAgentDecision>;

/** Rows with their deals' names (a deal deleted since shows null). */
export async function withDealNames(ctx: TenantContext, rows: AgentDecisionRow[]): Promise<PublicAgentDecision[]> {
  const ids = [...new Set(rows.map((r) => r.dealId).filter((id): id is string => id !== null))];
  const found = ids.length > 0 ? await ctx.db.findMany(deals, { where: inArray(deals.id, ids) }) : [];
  const names = new Map(found.map((d) => [d.id, d.name]));
  return rows.map((row) => publicAgentDecision(row, row.dealId ? (names.get(row.dealId) ?? null) : null));
}

export interface AgentDecisionFilters {
  limit: number;
  cursor?: string | undefined;
  dealId?: string | undefined;
  type?: AiAgentDecisionType | undefined;
  outcome?: AiAgentOutcome | undefined;
  runId?: string | undefined;
}

/** The tenant's decisions, newest first (ids sort by creation); the cursor is the last id seen. */
export async function listAgentDecisions(ctx: TenantContext, filters: AgentDecisionFilters) {
  const d = aiAgentDecisions;
  // Someone who sees only their own deals sees only the decisions on them (no reviews, which list everyone's).
  const visible = await visibilityCondition(ctx, deals.ownerId);
  const rows = await ctx.db.findMany(d, {
    where: and(
      visible ? inArray(d.dealId, ctx.db.scopedSelectIds(deals, deals.id, visible)) : undefined,
      filters.dealId ? eq(d.dealId, filters.dealId) : undefined,
      filters.type ? eq(d.type, filters.type) : undefined,
      filters.outcome ? eq(d.outcome, filters.outcome) : undefined,
      filters.runId ? eq(d.runId, filters.runId) : undefined,
      filters.cursor ? lt(d.id, filters.cursor) : undefined,
    ),
    orderBy: desc(d.id),
    limit: filters.limit + 1,
  });
  const page = rows.slice(0, filters.limit);
  return {
    data: await withDealNames(ctx, page),
    nextCursor: rows.length > filters.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

export async function getAgentDecision(ctx: TenantContext, id: string): Promise<PublicAgentDecision> {
  const row = await ctx.db.findFirst(aiAgentDecisions, eq(aiAgentDecisions.id, id));
  if (!row || !(await canSeeDecision(ctx, row))) throw new ApiError("NOT_FOUND", `Decision ${id} was not found`);
  return (await withDealNames(ctx, [row]))[0]!;
}

async function canSeeDecision(ctx: TenantContext, row: AgentDecisionRow): Promise<boolean> {
  if (!row.dealId) return (await visibilityCondition(ctx, deals.ownerId)) === undefined;
  const deal = await ctx.db.findFirst(deals, eq(deals.id, row.dealId));
  return canSeeRecord(ctx, deal?.ownerId ?? null);
}
