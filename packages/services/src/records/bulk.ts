import { ApiError, type FieldError } from "@crm/errors";
import { and, inArray, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { TenantDb, TenantTable } from "@crm/db";

export const maxBulkIds = 1000;
/** D1 binds at most 100 parameters per statement: look ids up in chunks below that. */
const lookupChunk = 90;

/**
 * Loads the rows a bulk request names, in the order named. All or nothing: an id listed
 * twice, or one that is unknown, another tenant's or not visible to the caller, is a 422
 * naming it as `body.ids.<index>`, and nothing is changed.
 */
export async function loadBulkTargets<T extends TenantTable>(
  db: TenantDb,
  table: T,
  idColumn: SQLiteColumn,
  ids: string[],
  options: { entity: string; visible?: SQL | undefined },
): Promise<T["$inferSelect"][]> {
  const found = new Map<string, T["$inferSelect"]>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += lookupChunk) {
    const chunk = unique.slice(i, i + lookupChunk);
    const rows = await db.findMany(table, { where: and(inArray(idColumn, chunk), options.visible) });
    for (const row of rows) found.set((row as { id: string }).id, row);
  }
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  ids.forEach((id, index) => {
    if (seen.has(id)) errors.push({ path: `body.ids.${index}`, message: "Listed more than once" });
    else if (!found.has(id)) errors.push({ path: `body.ids.${index}`, message: `No ${options.entity} has this id` });
    seen.add(id);
  });
  if (errors.length > 0) {
    throw new ApiError("VALIDATION_FAILED", `Nothing was changed: ${errors.length} of the ids cannot be used`, {
      errors,
    });
  }
  return ids.map((id) => found.get(id)!);
}
