import { auditLog, newId } from "@crm/db";
import type { BatchItem } from "drizzle-orm/batch";
import { type Actor, actorVia } from "./access";
import type { TenantContext } from "./context";
import { insertManyQueries } from "./records/insert-many";

type Snapshot = Record<string, unknown> | null;

/** Fields that never go into the audit log, whatever the entity. */
const secretFields = new Set(["passwordHash", "keyHash", "tokenHash", "secret"]);

function redact(snapshot: Snapshot): Snapshot {
  if (!snapshot) return null;
  // Most snapshots hold no secret: those are kept as they are rather than copied (bulk writes).
  if (!Object.keys(snapshot).some((k) => secretFields.has(k))) return snapshot;
  return Object.fromEntries(Object.entries(snapshot).filter(([k]) => !secretFields.has(k)));
}

/** Only the fields that changed, on both sides, so an update entry reads as a diff. */
export function diffSnapshots(before: Snapshot, after: Snapshot): { before: Snapshot; after: Snapshot } {
  const b = redact(before);
  const a = redact(after);
  if (!b || !a) return { before: b, after: a };
  const changedBefore: Record<string, unknown> = {};
  const changedAfter: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (key === "updatedAt") continue;
    if (JSON.stringify(b[key]) !== JSON.stringify(a[key])) {
      changedBefore[key] = b[key] ?? null;
      changedAfter[key] = a[key] ?? null;
    }
  }
  return { before: changedBefore, after: changedAfter };
}

export interface AuditChange {
  action: "create" | "update" | "delete";
  entity: string;
  entityId: string;
  before?: Snapshot;
  after?: Snapshot;
}

function actorId(actor: Actor): string {
  return actor.id;
}

/**
 * The audit entry as a query, so callers put it in the same D1 batch as the change it
 * records: the change and its audit entry land together or not at all.
 */
export function auditQuery(ctx: TenantContext, change: AuditChange) {
  return ctx.db.insertQuery(auditLog, auditRow(ctx, change));
}

function auditRow(ctx: TenantContext, change: AuditChange) {
  const { before, after } = diffSnapshots(change.before ?? null, change.after ?? null);
  return {
    id: newId("audit"),
    actorType: ctx.actor.type,
    actorId: actorId(ctx.actor),
    via: actorVia(ctx.actor),
    action: change.action,
    entity: change.entity,
    entityId: change.entityId,
    before,
    after,
    requestId: ctx.requestId,
  };
}

/** One entry per change in as few statements as D1's parameter limit allows (bulk writes). */
export function auditManyQueries(ctx: TenantContext, changes: AuditChange[]): BatchItem<"sqlite">[] {
  return insertManyQueries(
    ctx.db,
    auditLog,
    changes.map((change) => auditRow(ctx, change)),
  );
}
