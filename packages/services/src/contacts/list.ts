import {
  contactLifecycleHistory,
  contacts,
  type consentStatuses,
  type FindOptions,
  type LifecycleStage,
} from "@crm/db";
import { and, eq, type SQL } from "drizzle-orm";
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
import { type ContactRow, contactJsonColumns, publicContact, publicContactJsonOfValues, valueIndexOf } from "./public";
import { findVisibleContact } from "./write";

export interface ContactListFilters extends TimeRangeFilters {
  q?: string | undefined;
  /** A user id, or `me` for the caller. */
  ownerId?: string | undefined;
  lifecycleStage?: LifecycleStage | undefined;
  leadStatus?: string | undefined;
  source?: string | undefined;
  companyId?: string | undefined;
  /** Every one of these tags. */
  tags?: string[] | undefined;
  consentStatus?: (typeof consentStatuses)[number] | undefined;
  doNotContact?: boolean | undefined;
  customFields?: CustomFieldFilter[] | undefined;
}

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
  sort?: string | undefined;
}

const contactSorts: Record<string, SortField> = {
  createdAt: { column: contacts.createdAt, kind: "date" },
  updatedAt: { column: contacts.updatedAt, kind: "date" },
  name: { column: contacts.sortName, kind: "text" },
  lifecycleStageChangedAt: { column: contacts.lifecycleStageChangedAt, kind: "date", nullable: true },
};

function sortValue(row: ContactRow, key: string): unknown {
  switch (key) {
    case "createdAt":
      return row.createdAt;
    case "updatedAt":
      return row.updatedAt;
    case "name":
      return row.sortName;
    case "lifecycleStageChangedAt":
      return row.lifecycleStageChangedAt;
    default:
      return customFieldSortValue(row.customFields, key);
  }
}

export function ownerFilterValue(ctx: TenantContext, ownerId: string): string {
  return ownerId === "me" ? ctx.actor.id : ownerId;
}

/**
 * A page of the contacts the caller may see, filtered, searched (FTS5, tenant inside the
 * index) and keyset-paginated on (sort value, id): stable while contacts are added.
 */
export async function listContacts(ctx: TenantContext, filters: ContactListFilters, page: PageRequest) {
  const { sort, options } = await contactListQuery(ctx, filters, page);
  const rows = await ctx.db.findMany(contacts, options);
  const { rows: kept, nextCursor } = pageFromRows(rows, page.limit, sort, (row) => sortValue(row, sort.key));
  return { data: kept.map(publicContact), nextCursor };
}

/**
 * listContacts's page as the JSON text the list route sends, `{"data":[...],"nextCursor":...}`,
 * written from the rows' values (publicContactJsonOfValues): no row objects decoded, no
 * public objects built, nothing serialised twice (bench/README.md, "Contact lists and search").
 */
export async function listContactsJson(
  ctx: TenantContext,
  filters: ContactListFilters,
  page: PageRequest,
): Promise<string> {
  const { sort, options } = await contactListQuery(ctx, filters, page);
  const { columns, at } = sort.key === "name" ? contactJsonAndNameColumns : contactJsonRead;
  const values = await ctx.db.findManyValues(contacts, options, columns);
  const { rows: kept, nextCursor } = pageFromRows(
    values.map((v) => ({ id: v[at.id] as string, v })),
    page.limit,
    sort,
    // A time as epoch ms, as pageFromRows writes a Date's; a custom field as sortValue reads it.
    ({ v }) =>
      sort.key.startsWith("cf.")
        ? sortValue({ customFields: JSON.parse(v[at.customFields] as string) } as ContactRow, sort.key)
        : v[at[sortColumnKeys[sort.key]!]],
  );
  return `{"data":[${kept.map(({ v }) => publicContactJsonOfValues(v, at)).join(",")}],"nextCursor":${JSON.stringify(nextCursor)}}`;
}

/**
 * The columns listContactsJson reads: what the JSON shows, and the name sort key when the
 * list is sorted by it (its cursor's value). The rest of a row is not read (fewer values for
 * SQLite to extract and D1 to send: bench/README.md, "Contact lists and search").
 */
const columnsRead = (columns: (keyof ContactRow)[]) => ({ columns, at: valueIndexOf(columns) });
const contactJsonRead = columnsRead(contactJsonColumns);
const contactJsonAndNameColumns = columnsRead([...contactJsonColumns, "sortName"]);

/** The row key of each built-in sort (contactSorts, sortValue). */
const sortColumnKeys: Record<string, keyof ContactRow> = {
  createdAt: "createdAt",
  updatedAt: "updatedAt",
  name: "sortName",
  lifecycleStageChangedAt: "lifecycleStageChangedAt",
};

/** The sort and findMany's options of a contact list query (listContacts, listContactsJson). */
async function contactListQuery(ctx: TenantContext, filters: ContactListFilters, page: PageRequest) {
  const needsDefinitions = (filters.customFields?.length ?? 0) > 0 || page.sort?.replace(/^[-+]/, "").startsWith("cf.");
  const definitions = needsDefinitions ? await customFieldDefinitionsFor(ctx, "contact") : [];
  const sort = parseSort(
    page.sort,
    { ...contactSorts, ...customFieldSortFields(contacts.customFields, definitions) },
    "-createdAt",
  );
  const search = filters.q ? ctx.db.searchFilter("contact", contacts.id, filters.q) : null;
  // A search sorted by creation takes its cursor in creationOrder, not in the WHERE.
  const byCreation = search ? creationOrder(sort, page.cursor) : undefined;
  const conditions: (SQL | undefined)[] = [
    await visibilityCondition(ctx, contacts.ownerId),
    filters.ownerId ? eq(contacts.ownerId, ownerFilterValue(ctx, filters.ownerId)) : undefined,
    filters.lifecycleStage ? eq(contacts.lifecycleStage, filters.lifecycleStage) : undefined,
    filters.leadStatus ? eq(contacts.leadStatus, filters.leadStatus) : undefined,
    filters.source ? eq(contacts.source, filters.source) : undefined,
    filters.companyId ? eq(contacts.companyId, filters.companyId) : undefined,
    filters.consentStatus ? eq(contacts.consentStatus, filters.consentStatus) : undefined,
    filters.doNotContact !== undefined ? eq(contacts.doNotContact, filters.doNotContact) : undefined,
    hasTagsCondition(ctx, "contact", contacts.id, filters.tags ?? []),
    ...timeRangeConditions(contacts, filters),
    ...customFieldConditions(contacts.customFields, definitions, filters.customFields ?? []),
    byCreation ? undefined : afterCursor(sort, contacts.id, page.cursor),
  ];
  const options: FindOptions = {
    where: and(...conditions),
    orderBy: orderFor(sort, contacts.id),
    limit: page.limit + 1,
    search,
    creationOrder: byCreation,
  };
  return { sort, options };
}

const historySort = parseSort(
  undefined,
  { changedAt: { column: contactLifecycleHistory.changedAt, kind: "date" } },
  "changedAt",
);

/** Every lifecycle stage the contact entered, oldest first. */
export async function listLifecycleHistory(
  ctx: TenantContext,
  contactId: string,
  page: { limit: number; cursor?: string | undefined },
) {
  await findVisibleContact(ctx, contactId);
  const rows = await ctx.db.findMany(contactLifecycleHistory, {
    where: and(
      eq(contactLifecycleHistory.contactId, contactId),
      afterCursor(historySort, contactLifecycleHistory.id, page.cursor),
    ),
    orderBy: orderFor(historySort, contactLifecycleHistory.id),
    limit: page.limit + 1,
  });
  const { rows: kept, nextCursor } = pageFromRows(rows, page.limit, historySort, (r) => r.changedAt);
  return {
    data: kept.map((r) => ({
      id: r.id,
      contactId: r.contactId,
      fromStage: r.fromStage,
      toStage: r.toStage,
      changedBy: r.changedBy,
      changedAt: r.changedAt.toISOString(),
    })),
    nextCursor,
  };
}
