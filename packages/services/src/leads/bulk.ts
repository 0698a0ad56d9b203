import { leads } from "@crm/db";
import { ApiError, type FieldError } from "@crm/errors";
import { normalizeTags } from "@crm/records";
import type { BatchItem } from "drizzle-orm/batch";
import type { TenantContext } from "../context";
import { loadBulkTargets } from "../records/bulk";
import { visibilityCondition } from "../records/visibility";
import { applyLeadInput, checkLeadInput, type LeadInput } from "./input";
import { leadDeleteQueries, leadSaveQueries, sameLead } from "./write";

export type BulkAction = "update" | "delete" | "assign" | "tag" | "untag";

/** What a bulk update may set on many leads at once (not names or addresses: those are per person). */
export type LeadBulkChanges = Pick<
  LeadInput,
  "stage" | "stageReason" | "lostReason" | "source" | "estimatedValue" | "ownerId" | "customFields"
>;

export interface LeadBulkRequest {
  action: BulkAction;
  ids: string[];
  changes?: LeadBulkChanges | undefined;
  ownerId?: string | null | undefined;
  tags?: string[] | undefined;
}

const missing = (path: string, message: string) =>
  new ApiError("VALIDATION_FAILED", "The bulk request is incomplete", { errors: [{ path, message }] });

function inputFor(request: LeadBulkRequest): { input: LeadInput; prefix: string } {
  switch (request.action) {
    case "update":
      if (!request.changes || Object.keys(request.changes).length === 0)
        throw missing("body.changes", "Give at least one field to change");
      if (request.changes.stage === "lost" && !request.changes.lostReason?.trim()) {
        throw missing("body.changes.lostReason", "Required when the stage becomes lost");
      }
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

/**
 * Update (stage changes recorded in each lead's history), delete, assign, tag or untag up
 * to 1,000 leads in one D1 batch: all or nothing. Any unknown, invisible or repeated id, or
 * a change a lead cannot take, is a 422 naming it, and nothing changes.
 */
export async function bulkLeads(ctx: TenantContext, request: LeadBulkRequest) {
  const { input, prefix } = inputFor(request);
  const rows = await loadBulkTargets(ctx.db, leads, leads.id, request.ids, {
    entity: "lead",
    visible: await visibilityCondition(ctx, leads.ownerId),
  });
  if (request.action === "delete") {
    await ctx.db.batch(leadDeleteQueries(ctx, rows) as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
    return { results: rows.map((r) => ({ id: r.id, status: "deleted" as const })) };
  }
  const checked = await checkLeadInput(ctx, input, { prefix, creating: false });
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
      const { row, stageChange } = applyLeadInput(before, { ...checked, tags }, now, { prefix, creating: false });
      if (!sameLead(before, row)) queries.push(...(await leadSaveQueries(ctx, before, row, stageChange)));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      errors.push({ path: `body.ids.${index}`, message: error.errors?.[0]?.message ?? error.message });
    }
  }
  if (errors.length > 0)
    throw new ApiError(
      "VALIDATION_FAILED",
      `Nothing was changed: ${errors.length} of the leads cannot take this change`,
      { errors },
    );
  if (queries.length > 0) await ctx.db.batch(queries as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return { results: rows.map((r) => ({ id: r.id, status: "updated" as const })) };
}
