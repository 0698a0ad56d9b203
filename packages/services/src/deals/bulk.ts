import { deals, pipelineStages } from "@crm/db";
import { ApiError, type FieldError } from "@crm/errors";
import { normalizeTags } from "@crm/records";
import type { BatchItem } from "drizzle-orm/batch";
import { inArray } from "drizzle-orm";
import type { TenantContext } from "../context";
import type { StageRow } from "../pipelines/serialize";
import { loadBulkTargets } from "../records/bulk";
import { chunk } from "../records/insert-many";
import { visibilityCondition } from "../records/visibility";
import { applyDealInput, checkDealInput, type DealInput } from "./input";
import { dealDeleteQueries, dealSaveQueries, sameDeal } from "./write";

export type BulkAction = "update" | "delete" | "assign" | "tag" | "untag";

/** What a bulk update may set on many deals at once (not the name or the stage: per deal, or move-stage). */
export type DealBulkChanges = Omit<DealInput, "name" | "tags">;

export interface DealBulkRequest {
  action: BulkAction;
  ids: string[];
  changes?: DealBulkChanges | undefined;
  ownerId?: string | null | undefined;
  tags?: string[] | undefined;
}

const missing = (path: string, message: string) =>
  new ApiError("VALIDATION_FAILED", "The bulk request is incomplete", { errors: [{ path, message }] });

function inputFor(request: DealBulkRequest): { input: DealInput; prefix: string } {
  switch (request.action) {
    case "update":
      if (!request.changes || Object.keys(request.changes).length === 0)
        throw missing("body.changes", "Give at least one field to change");
      return { input: request.changes, prefix: "body.changes" };
    case "assign":
      if (request.ownerId === undefined)
        throw missing("body.ownerId", "Give the new owner's user id, or null to unassign");
      return { input: { ownerId: request.ownerId }, prefix: "body" };
    case "tag":
    case "untag":
      if (!request.tags || normalizeTags(request.tags).length === 0)
        throw missing("body.tags", "Give at least one tag");
      return { input: { tags: request.tags }, prefix: "body" };
    case "delete":
      return { input: {}, prefix: "body" };
  }
}

async function stagesById(ctx: TenantContext, ids: string[]): Promise<Map<string, StageRow>> {
  const stages = new Map<string, StageRow>();
  for (const part of chunk([...new Set(ids)], 90)) {
    for (const stage of await ctx.db.findMany(pipelineStages, { where: inArray(pipelineStages.id, part) }))
      stages.set(stage.id, stage);
  }
  return stages;
}

/**
 * Update, delete, assign, tag or untag up to 1,000 deals in one D1 batch: all or nothing.
 * Any unknown, invisible or repeated id, any invalid change, or a change a deal cannot take
 * (a status against its won/lost stage) is a 422 naming the ids, and nothing changes.
 */
export async function bulkDeals(ctx: TenantContext, request: DealBulkRequest) {
  const { input, prefix } = inputFor(request);
  const rows = await loadBulkTargets(ctx.db, deals, deals.id, request.ids, {
    entity: "deal",
    visible: await visibilityCondition(ctx, deals.ownerId),
  });
  if (request.action === "delete") {
    await ctx.db.batch(dealDeleteQueries(ctx, rows) as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
    return { results: rows.map((r) => ({ id: r.id, status: "deleted" as const })) };
  }
  const checked = await checkDealInput(ctx, input, { prefix, creating: false });
  const stages = await stagesById(
    ctx,
    rows.map((r) => r.stageId),
  );
  const now = new Date();
  const queries: BatchItem<"sqlite">[] = [];
  const errors: FieldError[] = [];
  for (const [index, before] of rows.entries()) {
    const tags =
      request.action === "tag"
        ? normalizeTags([...before.tags, ...(checked.tags ?? [])])
        : request.action === "untag"
          ? before.tags.filter((t) => !checked.tags?.includes(t))
          : checked.tags;
    try {
      const row = applyDealInput(before, { ...checked, tags }, stages.get(before.stageId)!, now, prefix);
      if (!sameDeal(before, row)) queries.push(...(await dealSaveQueries(ctx, before, row)));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      errors.push({ path: `body.ids.${index}`, message: error.errors?.[0]?.message ?? error.message });
    }
  }
  if (errors.length > 0)
    throw new ApiError(
      "VALIDATION_FAILED",
      `Nothing was changed: ${errors.length} of the deals cannot take this change`,
      { errors },
    );
  if (queries.length > 0) await ctx.db.batch(queries as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return { results: rows.map((r) => ({ id: r.id, status: "updated" as const })) };
}
