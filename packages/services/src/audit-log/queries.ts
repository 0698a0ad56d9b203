import { auditLog } from "@crm/db";
import { ApiError } from "@crm/errors";
import { and, eq, gte, lt, type SQL } from "drizzle-orm";
import type { TenantContext } from "../context";
import { afterCursor, orderFor, pageFromRows, parseSort } from "../lists/cursor";

export type AuditRow = typeof auditLog.$inferSelect;
export type AuditAction = AuditRow["action"];

/** An audit entry as the API shows it: before/after exactly as stored (the diff). */
export function publicAuditEntry(row: AuditRow) {
  return {
    id: row.id,
    actorType: row.actorType,
    actorId: row.actorId,
    via: row.via,
    action: row.action,
    entity: row.entity,
    entityId: row.entityId,
    before: row.before ?? null,
    after: row.after ?? null,
    requestId: row.requestId ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
export type PublicAuditEntry = ReturnType<typeof publicAuditEntry>;

export interface AuditLogFilters {
  actorId?: string | undefined;
  entity?: string | undefined;
  entityId?: string | undefined;
  action?: AuditAction | undefined;
  /** Inclusive. */
  from?: Date | undefined;
  /** Exclusive. */
  to?: Date | undefined;
}

/** Newest first: (created_at, id) descending, the order of audit_log_tenant_created_idx. */
const newestFirst = parseSort(undefined, { createdAt: { column: auditLog.createdAt, kind: "date" } }, "-createdAt");

function filterConditions(filters: AuditLogFilters): SQL[] {
  const conditions: SQL[] = [];
  if (filters.actorId) conditions.push(eq(auditLog.actorId, filters.actorId));
  if (filters.entity) conditions.push(eq(auditLog.entity, filters.entity));
  if (filters.entityId) conditions.push(eq(auditLog.entityId, filters.entityId));
  if (filters.action) conditions.push(eq(auditLog.action, filters.action));
  if (filters.from) conditions.push(gte(auditLog.createdAt, filters.from));
  if (filters.to) conditions.push(lt(auditLog.createdAt, filters.to));
  return conditions;
}

/**
 * Newest first, keyset-paginated on (created_at, id): each page starts strictly after
 * the previous page's last entry, so pages stay stable while new entries arrive and
 * the cost does not grow with depth (no OFFSET).
 */
export async function listAuditLog(
  ctx: TenantContext,
  filters: AuditLogFilters,
  page: { limit: number; cursor?: string | undefined },
) {
  if (filters.from && filters.to && filters.from.getTime() >= filters.to.getTime()) {
    throw new ApiError("VALIDATION_FAILED", "`from` must be before `to`", {
      errors: [{ path: "query.to", message: "Must be after `from`" }],
    });
  }
  const rows = await ctx.db.findMany(auditLog, {
    where: and(...filterConditions(filters), afterCursor(newestFirst, auditLog.id, page.cursor)),
    orderBy: orderFor(newestFirst, auditLog.id),
    limit: page.limit + 1,
  });
  const { rows: kept, nextCursor } = pageFromRows(rows, page.limit, newestFirst, (r) => r.createdAt);
  return { data: kept.map(publicAuditEntry), nextCursor };
}

export async function getAuditEntry(ctx: TenantContext, id: string) {
  const row = await ctx.db.findFirst(auditLog, eq(auditLog.id, id));
  if (!row) throw new ApiError("NOT_FOUND", `Audit entry ${id} was not found`);
  return publicAuditEntry(row);
}
