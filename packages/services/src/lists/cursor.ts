import { ApiError } from "@crm/errors";
import { and, asc, desc, eq, gt, lt, or, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/**
 * Keyset pagination: the cursor is the last row's (sort value, id), so page 1,000 costs
 * what page 1 costs (an index seek, never OFFSET) and rows inserted meanwhile neither
 * repeat nor vanish from later pages.
 */
export interface SortField {
  column: SQLiteColumn;
  /** How the column's value appears in a cursor (dates travel as epoch ms). */
  kind: "text" | "number" | "date";
}

export interface ParsedSort {
  key: string;
  field: SortField;
  direction: "asc" | "desc";
}

/** `sort=-createdAt` (descending) or `sort=name`; only the listed fields are sortable. */
export function parseSort(
  sort: string | undefined,
  fields: Record<string, SortField>,
  fallback: string,
): ParsedSort {
  const raw = sort ?? fallback;
  const direction = raw.startsWith("-") ? "desc" : "asc";
  const key = raw.replace(/^[-+]/, "");
  const field = fields[key];
  if (!field) {
    throw new ApiError("VALIDATION_FAILED", `Cannot sort by ${key}`, {
      errors: [{ path: "query.sort", message: `Sortable fields: ${Object.keys(fields).join(", ")} (prefix - for descending)` }],
    });
  }
  return { key, field, direction };
}

type CursorValue = string | number;

export function encodeCursor(sortKey: string, value: CursorValue, id: string): string {
  return btoa(JSON.stringify([sortKey, value, id])).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export function decodeCursor(cursor: string, sortKey: string): { value: CursorValue; id: string } {
  try {
    const json = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    const [key, value, id] = JSON.parse(json) as [unknown, unknown, unknown];
    if (key !== sortKey || typeof id !== "string" || (typeof value !== "string" && typeof value !== "number")) {
      throw new Error("mismatch");
    }
    return { value, id };
  } catch {
    throw new ApiError("VALIDATION_FAILED", "The cursor is invalid or belongs to another sort order", {
      errors: [{ path: "query.cursor", message: "Pass the nextCursor of a page listed with the same sort" }],
    });
  }
}

function toColumnValue(field: SortField, value: CursorValue): unknown {
  return field.kind === "date" ? new Date(Number(value)) : value;
}

/** Rows strictly after the cursor in (sort, id) order. */
export function afterCursor(sort: ParsedSort, idColumn: SQLiteColumn, cursor: string | undefined): SQL | undefined {
  if (!cursor) return undefined;
  const { value, id } = decodeCursor(cursor, sort.key);
  const v = toColumnValue(sort.field, value);
  const beyond = sort.direction === "desc" ? lt : gt;
  return or(beyond(sort.field.column, v), and(eq(sort.field.column, v), beyond(idColumn, id)));
}

export function orderFor(sort: ParsedSort, idColumn: SQLiteColumn): SQL[] {
  const dir = sort.direction === "desc" ? desc : asc;
  return [dir(sort.field.column), dir(idColumn)];
}

/** Cuts the extra row fetched to learn whether another page exists, and makes its cursor. */
export function pageFromRows<T extends { id: string }>(
  rows: T[],
  limit: number,
  sort: ParsedSort,
  valueOf: (row: T) => unknown,
): { rows: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  if (rows.length <= limit || !last) return { rows: page, nextCursor: null };
  const raw = valueOf(last);
  const value = raw instanceof Date ? raw.getTime() : (raw as CursorValue);
  return { rows: page, nextCursor: encodeCursor(sort.key, value, last.id) };
}
