import { type RecordType, tasks } from "@crm/db";
import { ApiError } from "@crm/errors";
import { and, eq, gte, inArray, lt, notInArray, or, sql, type SQL } from "drizzle-orm";
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
import type { ParentRows } from "../timeline/parent-record";
import { publicTask, type TaskPriority, type TaskStatus } from "./tasks";

type TaskRow = ParentRows["task"];

export interface TaskListFilters extends TimeRangeFilters {
  q?: string | undefined;
  status?: TaskStatus[] | undefined;
  priority?: TaskPriority[] | undefined;
  assigneeId?: string | undefined;
  ownerId?: string | undefined;
  recordType?: RecordType | undefined;
  recordId?: string | undefined;
  /** `overdue`: due before now and neither done nor cancelled; `mine`: assigned to the caller. */
  view?: "overdue" | "mine" | undefined;
  tags?: string[] | undefined;
  /** Due at or after (inclusive). */
  dueFrom?: Date | undefined;
  /** Due before (exclusive). */
  dueTo?: Date | undefined;
  customFields?: CustomFieldFilter[] | undefined;
}

/** Tasks without a due date sort after every dated one (ascending). */
const noDueDate = Number.MAX_SAFE_INTEGER;
const dueAtKey = sql`coalesce(${tasks.dueAt}, ${sql.raw(String(noDueDate))})`;
const priorityRank: Record<TaskPriority, number> = { low: 0, normal: 1, high: 2, urgent: 3 };
const priorityKey = sql`(case ${tasks.priority} when 'urgent' then 3 when 'high' then 2 when 'normal' then 1 else 0 end)`;

const fixedSortFields: Record<string, SortField> = {
  createdAt: { column: tasks.createdAt, kind: "date" },
  updatedAt: { column: tasks.updatedAt, kind: "date" },
  dueAt: { column: dueAtKey, kind: "number" },
  priority: { column: priorityKey, kind: "number" },
};

function sortValue(row: TaskRow, key: string): unknown {
  switch (key) {
    case "createdAt":
      return row.createdAt;
    case "updatedAt":
      return row.updatedAt;
    case "dueAt":
      return row.dueAt?.getTime() ?? noDueDate;
    case "priority":
      return priorityRank[row.priority];
    default:
      return customFieldSortValue(row.customFields, key);
  }
}

/** `me` in ownerId/assigneeId: the caller. */
const resolveMe = (ctx: TenantContext, id: string | undefined) => (id === "me" ? ctx.actor.id : id);

function viewCondition(ctx: TenantContext, view: TaskListFilters["view"]): SQL | undefined {
  if (view === "overdue") return and(lt(tasks.dueAt, new Date()), notInArray(tasks.status, ["done", "cancelled"]));
  if (view === "mine") {
    if (ctx.actor.type !== "user") {
      throw new ApiError("VALIDATION_FAILED", "view=mine lists a person's tasks; an API key has none", {
        errors: [{ path: "query.view", message: "Use assigneeId=<user id> with an API key" }],
      });
    }
    return eq(tasks.assigneeId, ctx.actor.id);
  }
  return undefined;
}

/**
 * Tasks the caller may see, filtered, sorted by createdAt, updatedAt, dueAt, priority or
 * a custom field (`cf.<key>`), keyset-paginated. Under "own" record visibility a person
 * sees the tasks they own or are assigned.
 */
export async function listTasks(
  ctx: TenantContext,
  filters: TaskListFilters,
  page: { limit: number; cursor?: string | undefined; sort?: string | undefined },
) {
  const definitions = await customFieldDefinitionsFor(ctx, "task");
  const sort = parseSort(
    page.sort,
    { ...fixedSortFields, ...customFieldSortFields(tasks.customFields, definitions) },
    "-createdAt",
  );
  const own = await visibilityCondition(ctx, tasks.ownerId);
  // A search sorted by creation takes its cursor in creationOrder, not in the WHERE.
  const search = filters.q ? ctx.db.searchFilter("task", tasks.id, filters.q) : null;
  const byCreation = search ? creationOrder(sort, page.cursor) : undefined;
  const conditions: (SQL | undefined)[] = [
    own && ctx.actor.type === "user" ? or(own, eq(tasks.assigneeId, ctx.actor.id)) : own,
    viewCondition(ctx, filters.view),
    filters.status?.length ? inArray(tasks.status, filters.status) : undefined,
    filters.priority?.length ? inArray(tasks.priority, filters.priority) : undefined,
    filters.assigneeId ? eq(tasks.assigneeId, resolveMe(ctx, filters.assigneeId)!) : undefined,
    filters.ownerId ? eq(tasks.ownerId, resolveMe(ctx, filters.ownerId)!) : undefined,
    filters.recordType ? eq(tasks.recordType, filters.recordType) : undefined,
    filters.recordId ? eq(tasks.recordId, filters.recordId) : undefined,
    filters.dueFrom ? gte(tasks.dueAt, filters.dueFrom) : undefined,
    filters.dueTo ? lt(tasks.dueAt, filters.dueTo) : undefined,
    hasTagsCondition(ctx, "task", tasks.id, filters.tags ?? []),
    ...timeRangeConditions(tasks, filters),
    ...customFieldConditions(tasks.customFields, definitions, filters.customFields ?? []),
    byCreation ? undefined : afterCursor(sort, tasks.id, page.cursor),
  ];
  const rows = await ctx.db.findMany(tasks, {
    where: and(...conditions),
    orderBy: orderFor(sort, tasks.id),
    limit: page.limit + 1,
    search,
    creationOrder: byCreation,
  });
  const { rows: kept, nextCursor } = pageFromRows(rows, page.limit, sort, (row) => sortValue(row, sort.key));
  return { data: kept.map((row) => publicTask(row, definitions)), nextCursor };
}
