import { companies, contacts, deals, leads, type RecordType, tasks } from "@crm/db";
import { ApiError } from "@crm/errors";
import { eq } from "drizzle-orm";
import type { TenantContext } from "../context";
import { canSeeRecord } from "../records/visibility";

/** The row type behind each record type that notes, activities, tasks and timelines attach to. */
export interface ParentRows {
  contact: typeof contacts.$inferSelect;
  company: typeof companies.$inferSelect;
  lead: typeof leads.$inferSelect;
  deal: typeof deals.$inferSelect;
  task: typeof tasks.$inferSelect;
}

/** Reads one record of any attachable type through the tenant-scoped database. */
export async function findParentRecord<T extends RecordType>(
  ctx: TenantContext,
  recordType: T,
  recordId: string,
): Promise<ParentRows[T] | undefined> {
  switch (recordType) {
    case "contact":
      return (await ctx.db.findFirst(contacts, eq(contacts.id, recordId))) as ParentRows[T] | undefined;
    case "company":
      return (await ctx.db.findFirst(companies, eq(companies.id, recordId))) as ParentRows[T] | undefined;
    case "lead":
      return (await ctx.db.findFirst(leads, eq(leads.id, recordId))) as ParentRows[T] | undefined;
    case "deal":
      return (await ctx.db.findFirst(deals, eq(deals.id, recordId))) as ParentRows[T] | undefined;
    default:
      return (await ctx.db.findFirst(tasks, eq(tasks.id, recordId))) as ParentRows[T] | undefined;
  }
}

/** Record visibility for any parent; a task is also visible to its assignee. */
export async function canSeeParent(
  ctx: TenantContext,
  recordType: RecordType,
  row: ParentRows[RecordType],
): Promise<boolean> {
  if (recordType === "task" && ctx.actor.type === "user" && (row as ParentRows["task"]).assigneeId === ctx.actor.id)
    return true;
  return canSeeRecord(ctx, row.ownerId);
}

/** The parent of a read (timeline, a record's notes): unknown, another tenant's or hidden is a 404. */
export async function requireVisibleParent<T extends RecordType>(
  ctx: TenantContext,
  recordType: T,
  recordId: string,
): Promise<ParentRows[T]> {
  const row = await findParentRecord(ctx, recordType, recordId);
  if (!row || !(await canSeeParent(ctx, recordType, row))) {
    throw new ApiError("NOT_FOUND", `${recordLabel(recordType)} ${recordId} was not found`);
  }
  return row;
}

/**
 * The record a write links to (a task's record, a note's parent): named in the body, so an
 * unknown, foreign or hidden record is a 422 at `<prefix>.recordId`.
 */
export async function requireLinkableParent<T extends RecordType>(
  ctx: TenantContext,
  recordType: T,
  recordId: string,
  prefix = "body",
): Promise<ParentRows[T]> {
  const row = await findParentRecord(ctx, recordType, recordId);
  if (!row || !(await canSeeParent(ctx, recordType, row))) {
    throw new ApiError("VALIDATION_FAILED", `No ${recordType} has the id ${recordId}`, {
      errors: [{ path: `${prefix}.recordId`, message: `No ${recordType} has this id` }],
    });
  }
  return row;
}

export function recordLabel(recordType: RecordType): string {
  return recordType.charAt(0).toUpperCase() + recordType.slice(1);
}
