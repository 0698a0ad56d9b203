import { ApiError } from "@crm/errors";
import { gte, lt, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/** A reporting period: `from` inclusive, `to` exclusive; either may be open. */
export interface StatsRange {
  from?: Date | undefined;
  to?: Date | undefined;
}

export function assertRange(range: StatsRange): void {
  if (range.from && range.to && range.from.getTime() >= range.to.getTime()) {
    throw new ApiError("VALIDATION_FAILED", "`from` must be before `to`", {
      errors: [{ path: "query.to", message: "Must be after `from`" }],
    });
  }
}

export function inRange(column: SQLiteColumn, range: StatsRange): (SQL | undefined)[] {
  return [range.from ? gte(column, range.from) : undefined, range.to ? lt(column, range.to) : undefined];
}

export const roundTo = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;
