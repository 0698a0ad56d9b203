import type { Database } from "@crm/db";
import { getTableColumns, getTableName, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";

/**
 * A statement for a D1 batch that aborts the whole batch unless `condition` holds when
 * the statement runs. It rewrites a NOT NULL column of the rows `where` selects to itself,
 * or to NULL when the condition is false; SQLite refuses the NULL and D1 rolls back every
 * statement in the batch. A check made before the batch can be overtaken by a concurrent
 * request (two owners demoting each other); this one runs inside the batch's transaction.
 * `where` must select at least one row, or nothing is checked.
 *
 * Built with the update builder rather than `db.run(sql)`: drizzle 0.45's D1 batch cannot
 * bind parameters of raw statements. Columns with an on-update default keep their value,
 * so the guard leaves no trace (no `updatedAt` bump).
 */
export function batchGuard(db: Database, column: SQLiteColumn, where: SQL, condition: SQL) {
  const table = column.table as SQLiteTable;
  const set: Record<string, SQL> = {};
  for (const [key, candidate] of Object.entries(getTableColumns(table))) {
    const self = sql`${sql.identifier(candidate.name)}`;
    if (candidate === column) set[key] = sql`case when ${condition} then ${self} else null end`;
    else if (candidate.onUpdateFn) set[key] = self;
  }
  return db.update(table).set(set).where(where);
}

/** Whether a failed batch was stopped by `batchGuard` on this column. */
export function isGuardFailure(error: unknown, column: SQLiteColumn): boolean {
  const needle = `NOT NULL constraint failed: ${getTableName(column.table)}.${column.name}`;
  return errorMessages(error).some((message) => message.includes(needle));
}

/** Whether a failed batch hit a UNIQUE or PRIMARY KEY constraint (a concurrent insert won). */
export function isUniqueViolation(error: unknown): boolean {
  return errorMessages(error).some((message) => /UNIQUE constraint failed|PRIMARY KEY/.test(message));
}

function errorMessages(error: unknown): string[] {
  const messages: string[] = [];
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    messages.push(current.message);
  }
  return messages;
}
