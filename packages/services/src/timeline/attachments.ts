import { activities, notes, type RecordType, tasks } from "@crm/db";
import type { BatchItem } from "drizzle-orm/batch";
import { and, eq } from "drizzle-orm";
import type { TenantContext } from "../context";

const onRecord = <T extends typeof notes | typeof activities | typeof tasks>(
  table: T,
  recordType: RecordType,
  recordId: string,
) => and(eq(table.recordType, recordType), eq(table.recordId, recordId))!;

/**
 * For the batch that deletes a record: its notes and activities go with it; tasks linked to
 * it stay (they are someone's work) but lose the link.
 */
export function recordAttachmentDeleteQueries(
  ctx: TenantContext,
  recordType: RecordType,
  recordId: string,
): BatchItem<"sqlite">[] {
  return [
    ctx.db.deleteQuery(notes, onRecord(notes, recordType, recordId)),
    ctx.db.deleteQuery(activities, onRecord(activities, recordType, recordId)),
    ctx.db.updateQuery(
      tasks,
      { recordType: null, recordId: null, updatedAt: new Date() },
      onRecord(tasks, recordType, recordId),
    ),
  ];
}

/**
 * For a merge: moves notes, activities and linked tasks from one record to another of the
 * same type. Reindex the survivor in the same batch with searchTextFor(..., noteBodies) over
 * both records' notes, since the moved notes are not stored under it yet when it runs.
 */
export function moveRecordAttachmentQueries(
  ctx: TenantContext,
  recordType: RecordType,
  fromId: string,
  toId: string,
): BatchItem<"sqlite">[] {
  return [
    ctx.db.updateQuery(notes, { recordId: toId }, onRecord(notes, recordType, fromId)),
    ctx.db.updateQuery(activities, { recordId: toId }, onRecord(activities, recordType, fromId)),
    ctx.db.updateQuery(tasks, { recordId: toId, updatedAt: new Date() }, onRecord(tasks, recordType, fromId)),
  ];
}
