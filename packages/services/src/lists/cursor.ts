import type { CreationOrder } from "@crm/db";
import { ApiError } from "@crm/errors";
import { and, asc, desc, eq, gt, gte, isNotNull, isNull, lt, lte, or, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/**
 * Keyset pagination: the cursor is the last row's (sort value, id), so page 1,000 costs
 * what page 1 costs (an index seek, never OFFSET) and rows inserted meanwhile neither
 * repeat nor vanish from later pages.
 */
export interface SortField {
  /** A column, or an expression (a custom field's `json_extract`). */
  column: SQLiteColumn | SQL;
  /** How the column's value appears in a cursor (dates travel as epoch ms). */
  kind: "text" | "number" | "date";
  /** The value may be NULL: SQLite sorts NULLs first ascending and last descending. */
  nullable?: boolean;
}

export interface ParsedSort {
  key: string;
  field: SortField;
  direction: "asc" | "desc";
}

/** `sort=-createdAt` (descending) or `sort=name`; only the listed fields are sortable. */
export function parseSort(sort: string | undefined, fields: Record<string, SortField>, fallback: string): ParsedSort {
  const raw = sort ?? fallback;
  const direction = raw.startsWith("-") ? "desc" : "asc";
  const key = raw.replace(/^[-+]/, "");
  // Own keys only: `sort=constructor` must not find Object.prototype's.
  const field = Object.hasOwn(fields, key) ? fields[key] : undefined;
  if (!field) {
    throw new ApiError("VALIDATION_FAILED", `Cannot sort by ${key}`, {
      errors: [
        { path: "query.sort", message: `Sortable fields: ${Object.keys(fields).join(", ")} (prefix - for descending)` },
      ],
    });
  }
  return { key, field, direction };
}

type CursorValue = string | number | null;

export function encodeCursor(sortKey: string, value: CursorValue, id: string): string {
  return btoa(JSON.stringify([sortKey, value, id]))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

export function decodeCursor(cursor: string, sortKey: string): { value: CursorValue; id: string } {
  try {
    const json = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    const [key, value, id] = JSON.parse(json) as [unknown, unknown, unknown];
    if (
      key !== sortKey ||
      typeof id !== "string" ||
      (typeof value !== "string" && typeof value !== "number" && value !== null)
    ) {
      throw new Error("mismatch");
    }
    return { value, id };
  } catch {
    throw invalidCursor();
  }
}

function invalidCursor(): ApiError {
  return new ApiError("VALIDATION_FAILED", "The cursor is invalid or belongs to another sort order", {
    errors: [{ path: "query.cursor", message: "Pass the nextCursor of a page listed with the same sort" }],
  });
}

function toColumnValue(field: SortField, value: string | number): unknown {
  return field.kind === "date" ? new Date(Number(value)) : value;
}

/** Rows strictly after the cursor in (sort, id) order. */
export function afterCursor(sort: ParsedSort, idColumn: SQLiteColumn, cursor: string | undefined): SQL | undefined {
  if (!cursor) return undefined;
  const { value, id } = decodeCursor(cursor, sort.key);
  // drizzle's comparison overloads take a column or an SQL expression, not their union.
  const column = sort.field.column as SQLiteColumn;
  const beyond = sort.direction === "desc" ? lt : gt;
  const sameValueBeyondId = (equal: SQL) => and(equal, beyond(idColumn, id));
  if (value === null) {
    // The cursor sits among the NULLs: ascending, every non-NULL value is still to come;
    // descending, the NULLs are the tail.
    const nullsAfter = sameValueBeyondId(isNull(column));
    return sort.direction === "asc" ? or(nullsAfter, isNotNull(column)) : nullsAfter;
  }
  const v = toColumnValue(sort.field, value);
  const after = or(beyond(column, v), sameValueBeyondId(eq(column, v)));
  if (sort.field.nullable && sort.direction === "desc") return or(after, isNull(column));
  // The same rows, plus a plain range term: SQLite cannot seek an index with the OR alone,
  // so without it page 1,000 walks the 999 pages before it (measured in bench/crm-lists.mjs).
  return and(sort.direction === "desc" ? lte(column, v) : gte(column, v), after);
}

/**
 * For a searched list (FindOptions.creationOrder): the order and cursor when the list is
 * sorted by createdAt, which search_documents can walk by itself; otherwise undefined.
 */
export function creationOrder(sort: ParsedSort, cursor: string | undefined): CreationOrder | undefined {
  if (sort.key !== "createdAt") return undefined;
  if (!cursor) return { direction: sort.direction };
  const { value, id } = decodeCursor(cursor, sort.key);
  // A createdAt cursor holds epoch ms (createdAt is never NULL): anything else was not ours.
  const at = typeof value === "number" ? value : Number.NaN;
  if (!Number.isFinite(at)) throw invalidCursor();
  return { direction: sort.direction, after: { createdAt: new Date(at), id } };
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
  const value = raw instanceof Date ? raw.getTime() : ((raw ?? null) as CursorValue);
  return { rows: page, nextCursor: encodeCursor(sort.key, value, last.id) };
}
