import { type RecordType, recordTags } from "@crm/db";
import type { BatchItem } from "drizzle-orm/batch";
import { and, eq, inArray, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { TenantContext } from "../context";

/**
 * Replaces a record's rows in record_tags (the tag filter's index) with `tags`. A record
 * created in the same batch (`isNew`) has no rows to clear: only the inserts are written
 * (an import chunk builds this for 1,000 new records).
 */
export function tagQueries(
  ctx: TenantContext,
  recordType: RecordType,
  recordId: string,
  tags: string[],
  { isNew = false } = {},
): BatchItem<"sqlite">[] {
  const queries: BatchItem<"sqlite">[] = isNew
    ? []
    : [ctx.db.deleteQuery(recordTags, eq(recordTags.recordId, recordId))];
  if (tags.length > 0) {
    queries.push(
      ctx.db.insertQuery(
        recordTags,
        tags.map((tag) => ({ recordType, tag, recordId })),
      ),
    );
  }
  return queries;
}

export function untagQueries(ctx: TenantContext, recordId: string): BatchItem<"sqlite">[] {
  return [ctx.db.deleteQuery(recordTags, eq(recordTags.recordId, recordId))];
}

/** `id IN (records of this type carrying every one of these tags)`, tenant-scoped. */
export function hasTagsCondition(
  ctx: TenantContext,
  recordType: RecordType,
  idColumn: SQLiteColumn,
  tags: string[],
): SQL | undefined {
  if (tags.length === 0) return undefined;
  const conditions = tags.map((tag) =>
    inArray(
      idColumn,
      ctx.db.scopedSelectIds(
        recordTags,
        recordTags.recordId,
        and(eq(recordTags.recordType, recordType), eq(recordTags.tag, tag))!,
      ),
    ),
  );
  return and(...conditions);
}
