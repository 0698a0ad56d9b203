import type { customFieldDefinitions } from "@crm/db";
import { ApiError, type FieldError } from "@crm/errors";
import { gte, lt, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { SortField } from "../lists/cursor";

type Definition = typeof customFieldDefinitions.$inferSelect;

/** `createdFrom`/`updatedFrom` are inclusive, `createdTo`/`updatedTo` exclusive, as in the audit log. */
export interface TimeRangeFilters {
  createdFrom?: Date | undefined;
  createdTo?: Date | undefined;
  updatedFrom?: Date | undefined;
  updatedTo?: Date | undefined;
}

export function timeRangeConditions(
  table: { createdAt: SQLiteColumn; updatedAt: SQLiteColumn },
  filters: TimeRangeFilters,
): SQL[] {
  const conditions: SQL[] = [];
  if (filters.createdFrom) conditions.push(gte(table.createdAt, filters.createdFrom));
  if (filters.createdTo) conditions.push(lt(table.createdAt, filters.createdTo));
  if (filters.updatedFrom) conditions.push(gte(table.updatedAt, filters.updatedFrom));
  if (filters.updatedTo) conditions.push(lt(table.updatedAt, filters.updatedTo));
  return conditions;
}

/** One `cf.<key>=v`, `cf.<key>.gte=v` or `cf.<key>.lte=v` query parameter. */
export interface CustomFieldFilter {
  key: string;
  op: "eq" | "gte" | "lte";
  value: string;
}

/** Picks the `cf.*` parameters out of a query string's (name, value) pairs. */
export function customFieldFiltersFrom(params: Iterable<[string, string]>): CustomFieldFilter[] {
  const filters: CustomFieldFilter[] = [];
  for (const [name, value] of params) {
    const match = /^cf\.(.+?)(?:\.(gte|lte))?$/.exec(name);
    if (match) filters.push({ key: match[1]!, op: (match[2] as "gte" | "lte" | undefined) ?? "eq", value });
  }
  return filters;
}

/** `json_extract(custom_fields, '$."key"')`: the path is a bound parameter, never spliced in. */
export function customFieldValue(column: SQLiteColumn, key: string): SQL {
  return sql`json_extract(${column}, ${`$."${key}"`})`;
}

function parseFilterValue(def: Definition, raw: string): string | number | null {
  switch (def.type) {
    case "number": {
      const n = raw.trim() === "" ? Number.NaN : Number(raw);
      return Number.isFinite(n) ? n : null;
    }
    case "boolean":
      return raw === "true" ? 1 : raw === "false" ? 0 : null;
    case "date":
      return /^\d{4}-\d{2}-\d{2}$/.test(raw) ? raw : null;
    default:
      return raw;
  }
}

/**
 * Conditions for `cf.*` filters against the tenant's definitions: equality for every type
 * (membership for multi-select), ranges for numbers and dates. An unknown key or a value
 * of the wrong type is a 422 at `query.cf.<key>`.
 */
export function customFieldConditions(
  column: SQLiteColumn,
  definitions: Definition[],
  filters: CustomFieldFilter[],
): SQL[] {
  const byKey = new Map(definitions.map((d) => [d.key, d]));
  const errors: FieldError[] = [];
  const conditions: SQL[] = [];
  for (const filter of filters) {
    const path = `query.cf.${filter.key}${filter.op === "eq" ? "" : `.${filter.op}`}`;
    const def = byKey.get(filter.key);
    if (!def) {
      errors.push({ path, message: "No custom field has this key" });
      continue;
    }
    if (filter.op !== "eq" && def.type !== "number" && def.type !== "date") {
      errors.push({ path, message: "Ranges apply to number and date fields only" });
      continue;
    }
    const value = parseFilterValue(def, filter.value);
    if (value === null) {
      errors.push({
        path,
        message: `Must be a ${def.type === "boolean" ? "true or false" : def.type === "date" ? "date as YYYY-MM-DD" : def.type}`,
      });
      continue;
    }
    const field = customFieldValue(column, def.key);
    if (def.type === "multi_select") {
      conditions.push(sql`exists (select 1 from json_each(${column}, ${`$."${def.key}"`}) where value = ${value})`);
    } else if (filter.op === "gte") {
      conditions.push(sql`${field} >= ${value}`);
    } else if (filter.op === "lte") {
      conditions.push(sql`${field} <= ${value}`);
    } else {
      conditions.push(sql`${field} = ${value}`);
    }
  }
  if (errors.length > 0) throw new ApiError("VALIDATION_FAILED", "Some custom field filters are invalid", { errors });
  return conditions;
}

/** `cf.<key>` sort fields for every sortable custom field (all but multi-select). */
export function customFieldSortFields(column: SQLiteColumn, definitions: Definition[]): Record<string, SortField> {
  const fields: Record<string, SortField> = {};
  for (const def of definitions) {
    if (def.type === "multi_select") continue;
    const kind = def.type === "number" || def.type === "boolean" ? "number" : "text";
    fields[`cf.${def.key}`] = { column: customFieldValue(column, def.key), kind, nullable: true };
  }
  return fields;
}

/** A row's value for a `cf.<key>` sort, as json_extract sees it (booleans as 1/0), for its cursor. */
export function customFieldSortValue(values: Record<string, unknown>, sortKey: string): string | number | null {
  const value = values[sortKey.slice(3)];
  if (typeof value === "boolean") return value ? 1 : 0;
  return typeof value === "string" || typeof value === "number" ? value : null;
}
