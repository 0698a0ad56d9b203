import type { TenantDb, TenantTable } from "@crm/db";
import type { BatchItem } from "drizzle-orm/batch";
import { getTableColumns } from "drizzle-orm";

/** D1 binds at most 100 parameters per statement. */
export const maxBoundParameters = 100;

export function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * Multi-row inserts for a batch, cut so that no statement binds more than 100 parameters
 * (every column of the table may be bound for every row, the tenant id included).
 */
export function insertManyQueries<T extends TenantTable>(
  db: TenantDb,
  table: T,
  rows: Omit<T["$inferInsert"], "tenantId">[],
): BatchItem<"sqlite">[] {
  const columns = Object.keys(getTableColumns(table)).length;
  const rowsPerStatement = Math.max(1, Math.floor(maxBoundParameters / columns));
  return chunk(rows, rowsPerStatement).map((part) => db.insertQuery(table, part));
}
