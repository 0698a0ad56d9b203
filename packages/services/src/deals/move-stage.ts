import { deals, dealStageHistory, pipelineStages } from "@crm/db";
import { ApiError } from "@crm/errors";
import type { BatchItem } from "drizzle-orm/batch";
import { and, eq, inArray, sql } from "drizzle-orm";
import { isGuardFailure } from "../batch-guard";
import type { TenantContext } from "../context";
import { afterCursor, orderFor, pageFromRows, parseSort } from "../lists/cursor";
import { moveDealsQueries } from "./move";
import { publicDeal } from "./serialize";
import { findVisibleDeal } from "./write";

export interface MoveStageInput {
  stageId: string;
  lostReason?: string | null | undefined;
  probability?: number | undefined;
}

/**
 * Moves a deal into a stage of any of the tenant's pipelines: the open history row gets
 * its leftAt, a new one is opened, and entering a won or lost stage closes the deal
 * (status and closedAt; lostReason kept or set). Moving to the stage it is in changes nothing.
 */
export async function moveDealStage(ctx: TenantContext, id: string, input: MoveStageInput) {
  const deal = await findVisibleDeal(ctx, id);
  const target = await ctx.db.findFirst(pipelineStages, eq(pipelineStages.id, input.stageId));
  if (!target) {
    throw new ApiError("VALIDATION_FAILED", "No stage in this organization has this id", {
      errors: [{ path: "body.stageId", message: "No stage in this organization has this id" }],
    });
  }
  if (target.id === deal.stageId) return publicDeal(deal);
  const { queries, after } = moveDealsQueries(ctx, [deal], target, {
    now: new Date(),
    lostReason: input.lostReason === undefined ? undefined : input.lostReason?.trim() || null,
    probability: input.probability,
  });
  // Inside the batch: a move made meanwhile by someone else aborts this one (no double open history rows).
  const guard = ctx.db.updateQuery(
    deals,
    { name: sql`case when ${deals.stageId} = ${deal.stageId} then ${deals.name} else null end` },
    eq(deals.id, id),
  );
  try {
    await ctx.db.batch([guard, ...queries] as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  } catch (error) {
    if (isGuardFailure(error, deals.name))
      throw new ApiError("CONFLICT", `Deal ${id} was moved by another request meanwhile; reload it and retry`);
    throw error;
  }
  return publicDeal(after[0]!);
}

const enteredOrder = parseSort(
  undefined,
  { enteredAt: { column: dealStageHistory.enteredAt, kind: "date" } },
  "enteredAt",
);

/** The stages a deal went through, oldest first: entered/left times and how long it stayed. */
export async function listDealStageHistory(
  ctx: TenantContext,
  id: string,
  page: { limit: number; cursor?: string | undefined },
) {
  await findVisibleDeal(ctx, id);
  const rows = await ctx.db.findMany(dealStageHistory, {
    where: and(eq(dealStageHistory.dealId, id), afterCursor(enteredOrder, dealStageHistory.id, page.cursor)),
    orderBy: orderFor(enteredOrder, dealStageHistory.id),
    limit: page.limit + 1,
  });
  const { rows: kept, nextCursor } = pageFromRows(rows, page.limit, enteredOrder, (r) => r.enteredAt);
  const stageIds = [...new Set(kept.map((r) => r.stageId))];
  const stages =
    stageIds.length > 0 ? await ctx.db.findMany(pipelineStages, { where: inArray(pipelineStages.id, stageIds) }) : [];
  const names = new Map(stages.map((s) => [s.id, s.name]));
  return {
    data: kept.map((row) => ({
      id: row.id,
      dealId: row.dealId,
      pipelineId: row.pipelineId,
      stageId: row.stageId,
      stageName: names.get(row.stageId) ?? null,
      enteredAt: row.enteredAt.toISOString(),
      leftAt: row.leftAt?.toISOString() ?? null,
      durationSeconds: row.leftAt ? Math.round((row.leftAt.getTime() - row.enteredAt.getTime()) / 1000) : null,
      changedBy: row.changedBy,
    })),
    nextCursor,
  };
}
