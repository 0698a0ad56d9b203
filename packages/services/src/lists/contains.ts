import { type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/**
 * `column` contains `text`, for a list's `q` filter on a name. The text's own `%`, `_` and `\` are
 * literal: SQLite honours the backslash only with an ESCAPE clause, which drizzle's `like` lacks (a
 * search for "50%" looked for "50\%"). SQLite's LIKE ignores case for ASCII letters; other letters
 * match as typed (lowering only the search text, as before, could never match "Über" with "ü").
 */
export function containsText(column: SQLiteColumn, text: string): SQL {
  const pattern = `%${text.replace(/[%_\\]/g, "\\$&")}%`;
  return sql`${column} LIKE ${pattern} ESCAPE '\\'`;
}
