import { addPeriods, periodLabel, periodsBetween, periodStart, type PeriodUnit } from "@crm/ai";
import { sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

export type ForecastPeriod = Extract<PeriodUnit, "month" | "week">;

/** How far back a history reaches: five years of months, three of weeks (longer series add fitting time, not accuracy). */
export const historyLimit: Record<ForecastPeriod, number> = { month: 60, week: 156 };

/** Fewer whole periods of history than this and no model is fitted: the answer says so instead. */
export const minimumHistory: Record<ForecastPeriod, number> = { month: 6, week: 8 };

/**
 * The start (UTC) of the period a millisecond timestamp column falls in, as SQL text
 * "YYYY-MM-DD": the month's first day, or the Monday of its ISO week.
 */
export function periodStartSql(column: SQLiteColumn, unit: ForecastPeriod): SQL<string> {
  return unit === "month"
    ? sql<string>`strftime('%Y-%m-01', ${column} / 1000, 'unixepoch')`
    : sql<string>`date(${column} / 1000, 'unixepoch', 'weekday 0', '-6 days')`;
}

export const fromDay = (day: string): Date => new Date(`${day}T00:00:00Z`);

/** The window a forecast reads: whole periods from `first` up to (not including) `current`. */
export interface Window {
  unit: ForecastPeriod;
  /** The period holding "now": partly elapsed, so never part of the history. */
  current: Date;
  /** The earliest period start the history may hold. */
  first: Date;
}

export function windowAt(now: Date, unit: ForecastPeriod): Window {
  const current = periodStart(now, unit);
  return { unit, current, first: addPeriods(current, unit, -historyLimit[unit]) };
}

/** Labels and starts of the periods from `from` up to `window.current` (exclusive). */
export function periodsFrom(from: Date, window: Window): { label: string; start: string }[] {
  const count = Math.max(0, periodsBetween(from, window.current, window.unit));
  return Array.from({ length: count }, (_, i) => {
    const start = addPeriods(from, window.unit, i);
    return { label: periodLabel(start, window.unit), start: start.toISOString().slice(0, 10) };
  });
}

export function futurePeriods(window: Window, horizon: number): { label: string; start: string }[] {
  return Array.from({ length: horizon }, (_, i) => {
    const start = addPeriods(window.current, window.unit, i);
    return { label: periodLabel(start, window.unit), start: start.toISOString().slice(0, 10) };
  });
}
