import { type LeadStage, leads, leadStageHistory } from "@crm/db";
import { ApiError } from "@crm/errors";
import { and, eq, gte, isNotNull, isNull, lte, type SQL } from "drizzle-orm";
import type { TenantContext } from "../context";
import { afterCursor, creationOrder, orderFor, pageFromRows, parseSort, type SortField } from "../lists/cursor";
import { customFieldDefinitionsFor } from "../records/custom-fields";
import {
  type CustomFieldFilter,
  customFieldConditions,
  customFieldSortFields,
  customFieldSortValue,
  type TimeRangeFilters,
  timeRangeConditions,
} from "../records/list-filters";
import { hasTagsCondition } from "../records/tags";
import { visibilityCondition } from "../records/visibility";
import { type LeadRow, publicLead, publicLeadStageChange } from "./serialize";
import { findVisibleLead } from "./write";

export const leadViews = ["unassigned", "high_value", "mine"] as const;
export type LeadView = (typeof leadViews)[number];
export const defaultHighValueThreshold = 10_000;

export interface LeadListFilters extends TimeRangeFilters {
  q?: string | undefined;
  /** Saved-view shortcuts: no owner, estimatedValue >= threshold, or owned by the caller. */
  view?: LeadView | undefined;
  threshold?: number | undefined;
  stage?: LeadStage | undefined;
  source?: string | undefined;
  /** A user id, or `me` for the caller. */
  ownerId?: string | undefined;
  converted?: boolean | undefined;
  valueMin?: number | undefined;
  valueMax?: number | undefined;
  tags?: string[] | undefined;
  customFields?: CustomFieldFilter[] | undefined;
}

export interface LeadPageRequest {
  limit: number;
  cursor?: string | undefined;
  sort?: string | undefined;
}

const leadSorts: Record<string, SortField> = {
  createdAt: { column: leads.createdAt, kind: "date" },
  updatedAt: { column: leads.updatedAt, kind: "date" },
  stageChangedAt: { column: leads.stageChangedAt, kind: "date" },
  estimatedValue: { column: leads.estimatedValue, kind: "number", nullable: true },
};

function sortValue(row: LeadRow, key: string): unknown {
  switch (key) {
    case "createdAt":
      return row.createdAt;
    case "updatedAt":
      return row.updatedAt;
    case "stageChangedAt":
      return row.stageChangedAt;
    case "estimatedValue":
      return row.estimatedValue;
    default:
      return customFieldSortValue(row.customFields, key);
  }
}

function viewCondition(ctx: TenantContext, view: LeadView | undefined, threshold: number): SQL | undefined {
  switch (view) {
    case "unassigned":
      return isNull(leads.ownerId);
    case "high_value":
      return gte(leads.estimatedValue, threshold);
    case "mine":
      if (ctx.actor.type !== "user") {
        throw new ApiError("VALIDATION_FAILED", "`view=mine` needs a signed-in person; an API key owns no leads", {
          errors: [{ path: "query.view", message: "Use ownerId=<user id> with an API key" }],
        });
      }
      return eq(leads.ownerId, ctx.actor.id);
    default:
      return undefined;
  }
}

/**
 * A page of the leads the caller may see: views (unassigned, high value, mine), filters,
 * search (FTS5 over names, email, phone, company) and keyset pagination on (sort value, id).
 */
export async function listLeads(ctx: TenantContext, filters: LeadListFilters, page: LeadPageRequest) {
  const needsDefinitions = (filters.customFields?.length ?? 0) > 0 || page.sort?.replace(/^[-+]/, "").startsWith("cf.");
  const definitions = needsDefinitions ? await customFieldDefinitionsFor(ctx, "lead") : [];
  const sort = parseSort(
    page.sort,
    { ...leadSorts, ...customFieldSortFields(leads.customFields, definitions) },
    "-createdAt",
  );
  const search = filters.q ? ctx.db.searchFilter("lead", leads.id, filters.q) : null;
  // A search sorted by creation takes its cursor in creationOrder, not in the WHERE.
  const byCreation = search ? creationOrder(sort, page.cursor) : undefined;
  const conditions: (SQL | undefined)[] = [
    await visibilityCondition(ctx, leads.ownerId),
    viewCondition(ctx, filters.view, filters.threshold ?? defaultHighValueThreshold),
    filters.stage ? eq(leads.stage, filters.stage) : undefined,
    filters.source ? eq(leads.source, filters.source) : undefined,
    filters.ownerId ? eq(leads.ownerId, filters.ownerId === "me" ? ctx.actor.id : filters.ownerId) : undefined,
    filters.converted === undefined
      ? undefined
      : filters.converted
        ? isNotNull(leads.convertedAt)
        : isNull(leads.convertedAt),
    filters.valueMin !== undefined ? gte(leads.estimatedValue, filters.valueMin) : undefined,
    filters.valueMax !== undefined ? lte(leads.estimatedValue, filters.valueMax) : undefined,
    hasTagsCondition(ctx, "lead", leads.id, filters.tags ?? []),
    ...timeRangeConditions(leads, filters),
    ...customFieldConditions(leads.customFields, definitions, filters.customFields ?? []),
    byCreation ? undefined : afterCursor(sort, leads.id, page.cursor),
  ];
  const rows = await ctx.db.findMany(leads, {
    where: and(...conditions),
    orderBy: orderFor(sort, leads.id),
    limit: page.limit + 1,
    search,
    creationOrder: byCreation,
  });
  const { rows: kept, nextCursor } = pageFromRows(rows, page.limit, sort, (row) => sortValue(row, sort.key));
  return { data: kept.map(publicLead), nextCursor };
}

const historySort = parseSort(
  undefined,
  { changedAt: { column: leadStageHistory.changedAt, kind: "date" } },
  "changedAt",
);

/** Every stage the lead went through, oldest first, with the reason and who changed it. */
export async function listLeadStageHistory(
  ctx: TenantContext,
  leadId: string,
  page: { limit: number; cursor?: string | undefined },
) {
  await findVisibleLead(ctx, leadId);
  const rows = await ctx.db.findMany(leadStageHistory, {
    where: and(eq(leadStageHistory.leadId, leadId), afterCursor(historySort, leadStageHistory.id, page.cursor)),
    orderBy: orderFor(historySort, leadStageHistory.id),
    limit: page.limit + 1,
  });
  const { rows: kept, nextCursor } = pageFromRows(rows, page.limit, historySort, (r) => r.changedAt);
  return { data: kept.map(publicLeadStageChange), nextCursor };
}
