import { deals } from "@crm/db";
import { and, eq, gte, lte, type SQL } from "drizzle-orm";
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
import type { DealStatus } from "./input";
import { type DealRow, publicDeal } from "./serialize";

export interface DealListFilters extends TimeRangeFilters {
  q?: string | undefined;
  pipelineId?: string | undefined;
  stageId?: string | undefined;
  status?: DealStatus | undefined;
  /** A user id, or `me` for the caller. */
  ownerId?: string | undefined;
  contactId?: string | undefined;
  companyId?: string | undefined;
  /** Every one of these tags. */
  tags?: string[] | undefined;
  valueMin?: number | undefined;
  valueMax?: number | undefined;
  /** Inclusive dates (YYYY-MM-DD). */
  expectedCloseFrom?: string | undefined;
  expectedCloseTo?: string | undefined;
  customFields?: CustomFieldFilter[] | undefined;
}

export interface DealPageRequest {
  limit: number;
  cursor?: string | undefined;
  sort?: string | undefined;
}

const dealSorts: Record<string, SortField> = {
  createdAt: { column: deals.createdAt, kind: "date" },
  updatedAt: { column: deals.updatedAt, kind: "date" },
  value: { column: deals.value, kind: "number" },
  expectedCloseDate: { column: deals.expectedCloseDate, kind: "text", nullable: true },
  name: { column: deals.name, kind: "text" },
};

function sortValue(row: DealRow, key: string): unknown {
  switch (key) {
    case "createdAt":
      return row.createdAt;
    case "updatedAt":
      return row.updatedAt;
    case "value":
      return row.value;
    case "expectedCloseDate":
      return row.expectedCloseDate;
    case "name":
      return row.name;
    default:
      return customFieldSortValue(row.customFields, key);
  }
}

/**
 * A page of the deals the caller may see, filtered, searched by name (FTS5, tenant inside
 * the index) and keyset-paginated on (sort value, id): stable while deals are added.
 */
export async function listDeals(ctx: TenantContext, filters: DealListFilters, page: DealPageRequest) {
  const needsDefinitions = (filters.customFields?.length ?? 0) > 0 || page.sort?.replace(/^[-+]/, "").startsWith("cf.");
  const definitions = needsDefinitions ? await customFieldDefinitionsFor(ctx, "deal") : [];
  const sort = parseSort(
    page.sort,
    { ...dealSorts, ...customFieldSortFields(deals.customFields, definitions) },
    "-createdAt",
  );
  const search = filters.q ? ctx.db.searchFilter("deal", deals.id, filters.q) : null;
  // A search sorted by creation takes its cursor in creationOrder, not in the WHERE.
  const byCreation = search ? creationOrder(sort, page.cursor) : undefined;
  const conditions: (SQL | undefined)[] = [
    await visibilityCondition(ctx, deals.ownerId),
    filters.pipelineId ? eq(deals.pipelineId, filters.pipelineId) : undefined,
    filters.stageId ? eq(deals.stageId, filters.stageId) : undefined,
    filters.status ? eq(deals.status, filters.status) : undefined,
    filters.ownerId ? eq(deals.ownerId, filters.ownerId === "me" ? ctx.actor.id : filters.ownerId) : undefined,
    filters.contactId ? eq(deals.contactId, filters.contactId) : undefined,
    filters.companyId ? eq(deals.companyId, filters.companyId) : undefined,
    filters.valueMin !== undefined ? gte(deals.value, filters.valueMin) : undefined,
    filters.valueMax !== undefined ? lte(deals.value, filters.valueMax) : undefined,
    filters.expectedCloseFrom ? gte(deals.expectedCloseDate, filters.expectedCloseFrom) : undefined,
    filters.expectedCloseTo ? lte(deals.expectedCloseDate, filters.expectedCloseTo) : undefined,
    hasTagsCondition(ctx, "deal", deals.id, filters.tags ?? []),
    ...timeRangeConditions(deals, filters),
    ...customFieldConditions(deals.customFields, definitions, filters.customFields ?? []),
    byCreation ? undefined : afterCursor(sort, deals.id, page.cursor),
  ];
  const rows = await ctx.db.findMany(deals, {
    where: and(...conditions),
    orderBy: orderFor(sort, deals.id),
    limit: page.limit + 1,
    search,
    creationOrder: byCreation,
  });
  const { rows: kept, nextCursor } = pageFromRows(rows, page.limit, sort, (row) => sortValue(row, sort.key));
  return { data: kept.map(publicDeal), nextCursor };
}
