import { newId, type RecordType, savedViews } from "@crm/db";
import { ApiError } from "@crm/errors";
import { and, eq, type SQL } from "drizzle-orm";
import { auditQuery } from "../audit";
import type { TenantContext } from "../context";
import { afterCursor, orderFor, pageFromRows, parseSort } from "../lists/cursor";

export type SavedViewRow = typeof savedViews.$inferSelect;

export function publicView(row: SavedViewRow) {
  return {
    id: row.id,
    objectType: row.objectType,
    name: row.name,
    query: row.query,
    columns: row.columns ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type PublicView = ReturnType<typeof publicView>;

export interface ViewInput {
  objectType: RecordType;
  name: string;
  /** The list's query string parameters: filters, sort, q (never a cursor). */
  query: Record<string, string>;
  columns?: string[] | null | undefined;
}
export type ViewChanges = Partial<Omit<ViewInput, "objectType">>;

/** Saved views belong to a person; API keys are kept out by the routes and here. */
function viewOwner(ctx: TenantContext): string {
  if (ctx.actor.type !== "user") throw new ApiError("FORBIDDEN", "Saved views belong to people; API keys have none");
  return ctx.actor.id;
}

/** `cursor` and `limit` are a page position, not part of what a view shows. */
function checkedQuery(query: Record<string, string>): Record<string, string> {
  const errors = ["cursor", "limit"]
    .filter((k) => k in query)
    .map((k) => ({ path: `body.query.${k}`, message: "A view saves filters and sort, not a page position" }));
  if (errors.length > 0) throw new ApiError("VALIDATION_FAILED", "The view's query has page parameters", { errors });
  return query;
}

const mine = (userId: string, condition?: SQL) => and(eq(savedViews.userId, userId), condition)!;

const oldestFirst = parseSort(undefined, { createdAt: { column: savedViews.createdAt, kind: "date" } }, "createdAt");

/** The caller's own views, oldest first, optionally for one object. */
export async function listViews(
  ctx: TenantContext,
  filters: { objectType?: RecordType | undefined },
  page: { limit: number; cursor?: string | undefined },
) {
  const userId = viewOwner(ctx);
  const rows = await ctx.db.findMany(savedViews, {
    where: mine(
      userId,
      and(
        filters.objectType ? eq(savedViews.objectType, filters.objectType) : undefined,
        afterCursor(oldestFirst, savedViews.id, page.cursor),
      ),
    ),
    orderBy: orderFor(oldestFirst, savedViews.id),
    limit: page.limit + 1,
  });
  const { rows: kept, nextCursor } = pageFromRows(rows, page.limit, oldestFirst, (r) => r.createdAt);
  return { data: kept.map(publicView), nextCursor };
}

/** Another person's view is a 404, exactly like an unknown id. */
async function findOwnView(ctx: TenantContext, id: string): Promise<SavedViewRow> {
  const row = await ctx.db.findFirst(savedViews, mine(viewOwner(ctx), eq(savedViews.id, id)));
  if (!row) throw new ApiError("NOT_FOUND", `View ${id} was not found`);
  return row;
}

export async function getView(ctx: TenantContext, id: string) {
  return publicView(await findOwnView(ctx, id));
}

export async function createView(ctx: TenantContext, input: ViewInput) {
  const now = new Date();
  const row: SavedViewRow = {
    id: newId("savedView"),
    tenantId: ctx.tenant.id,
    userId: viewOwner(ctx),
    objectType: input.objectType,
    name: input.name.trim(),
    query: checkedQuery(input.query),
    columns: input.columns ?? null,
    createdAt: now,
    updatedAt: now,
  };
  const { tenantId: _tenantId, ...values } = row;
  await ctx.db.batch([
    ctx.db.insertQuery(savedViews, values),
    auditQuery(ctx, { action: "create", entity: "saved_view", entityId: row.id, after: publicView(row) }),
  ]);
  return publicView(row);
}

export async function updateView(ctx: TenantContext, id: string, changes: ViewChanges) {
  const before = await findOwnView(ctx, id);
  const after: SavedViewRow = {
    ...before,
    name: changes.name?.trim() ?? before.name,
    query: changes.query ? checkedQuery(changes.query) : before.query,
    columns: changes.columns !== undefined ? changes.columns : before.columns,
    updatedAt: new Date(),
  };
  await ctx.db.batch([
    ctx.db.updateQuery(
      savedViews,
      { name: after.name, query: after.query, columns: after.columns, updatedAt: after.updatedAt },
      eq(savedViews.id, id),
    ),
    auditQuery(ctx, {
      action: "update",
      entity: "saved_view",
      entityId: id,
      before: publicView(before),
      after: publicView(after),
    }),
  ]);
  return publicView(after);
}

export async function deleteView(ctx: TenantContext, id: string) {
  const before = await findOwnView(ctx, id);
  await ctx.db.batch([
    ctx.db.deleteQuery(savedViews, eq(savedViews.id, id)),
    auditQuery(ctx, { action: "delete", entity: "saved_view", entityId: id, before: publicView(before) }),
  ]);
}
