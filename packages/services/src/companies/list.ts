import { companies, deals } from "@crm/db";
import { and, eq, gte, lte, type SQL } from "drizzle-orm";
import { type ContactListFilters, listContacts, ownerFilterValue, type PageRequest } from "../contacts/list";
import type { TenantContext } from "../context";
import { publicDeal } from "../deals/serialize";
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
import { type CompanyRow, publicCompany } from "./public";
import { findVisibleCompany } from "./write";

export interface CompanyListFilters extends TimeRangeFilters {
  q?: string | undefined;
  /** A user id, or `me` for the caller. */
  ownerId?: string | undefined;
  industry?: string | undefined;
  tags?: string[] | undefined;
  annualRevenueMin?: number | undefined;
  annualRevenueMax?: number | undefined;
  customFields?: CustomFieldFilter[] | undefined;
}

const companySorts: Record<string, SortField> = {
  createdAt: { column: companies.createdAt, kind: "date" },
  updatedAt: { column: companies.updatedAt, kind: "date" },
  name: { column: companies.name, kind: "text" },
  annualRevenue: { column: companies.annualRevenue, kind: "number", nullable: true },
};

function sortValue(row: CompanyRow, key: string): unknown {
  switch (key) {
    case "createdAt":
      return row.createdAt;
    case "updatedAt":
      return row.updatedAt;
    case "name":
      return row.name;
    case "annualRevenue":
      return row.annualRevenue;
    default:
      return customFieldSortValue(row.customFields, key);
  }
}

/** A page of the companies the caller may see: filtered, searched (name, domain, industry), keyset-paginated. */
export async function listCompanies(ctx: TenantContext, filters: CompanyListFilters, page: PageRequest) {
  const needsDefinitions = (filters.customFields?.length ?? 0) > 0 || page.sort?.replace(/^[-+]/, "").startsWith("cf.");
  const definitions = needsDefinitions ? await customFieldDefinitionsFor(ctx, "company") : [];
  const sort = parseSort(
    page.sort,
    { ...companySorts, ...customFieldSortFields(companies.customFields, definitions) },
    "-createdAt",
  );
  const search = filters.q ? ctx.db.searchFilter("company", companies.id, filters.q) : null;
  // A search sorted by creation takes its cursor in creationOrder, not in the WHERE.
  const byCreation = search ? creationOrder(sort, page.cursor) : undefined;
  const conditions: (SQL | undefined)[] = [
    await visibilityCondition(ctx, companies.ownerId),
    filters.ownerId ? eq(companies.ownerId, ownerFilterValue(ctx, filters.ownerId)) : undefined,
    filters.industry ? eq(companies.industry, filters.industry) : undefined,
    filters.annualRevenueMin !== undefined ? gte(companies.annualRevenue, filters.annualRevenueMin) : undefined,
    filters.annualRevenueMax !== undefined ? lte(companies.annualRevenue, filters.annualRevenueMax) : undefined,
    hasTagsCondition(ctx, "company", companies.id, filters.tags ?? []),
    ...timeRangeConditions(companies, filters),
    ...customFieldConditions(companies.customFields, definitions, filters.customFields ?? []),
    byCreation ? undefined : afterCursor(sort, companies.id, page.cursor),
  ];
  const rows = await ctx.db.findMany(companies, {
    where: and(...conditions),
    orderBy: orderFor(sort, companies.id),
    limit: page.limit + 1,
    search,
    creationOrder: byCreation,
  });
  const { rows: kept, nextCursor } = pageFromRows(rows, page.limit, sort, (row) => sortValue(row, sort.key));
  return { data: kept.map(publicCompany), nextCursor };
}

/** The company's contacts, with every contact-list filter and sort (404 if the company is not visible). */
export async function listCompanyContacts(
  ctx: TenantContext,
  companyId: string,
  filters: ContactListFilters,
  page: PageRequest,
) {
  await findVisibleCompany(ctx, companyId);
  return listContacts(ctx, { ...filters, companyId }, page);
}

const newestDeals = parseSort(undefined, { createdAt: { column: deals.createdAt, kind: "date" } }, "-createdAt");

/** The company's deals the caller may see, newest first. */
export async function listCompanyDeals(
  ctx: TenantContext,
  companyId: string,
  page: { limit: number; cursor?: string | undefined },
) {
  await findVisibleCompany(ctx, companyId);
  const rows = await ctx.db.findMany(deals, {
    where: and(
      eq(deals.companyId, companyId),
      await visibilityCondition(ctx, deals.ownerId),
      afterCursor(newestDeals, deals.id, page.cursor),
    ),
    orderBy: orderFor(newestDeals, deals.id),
    limit: page.limit + 1,
  });
  const { rows: kept, nextCursor } = pageFromRows(rows, page.limit, newestDeals, (r) => r.createdAt);
  return { data: kept.map(publicDeal), nextCursor };
}
