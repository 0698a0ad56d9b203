// Calendar periods (UTC) that CRM rows are counted in: months, ISO weeks (Monday first) and days.

export type PeriodUnit = "month" | "week" | "day";
export type DateInput = Date | string | number;

/** Periods in one season, for the seasonal models. */
export const seasonLengths: Record<PeriodUnit, number> = { month: 12, week: 52, day: 7 };

const DAY = 86_400_000;

export function toDate(input: DateInput): Date {
  const date = input instanceof Date ? input : new Date(input);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a date: ${String(input)}`);
  return date;
}

/** The start (00:00 UTC) of the period holding `date`. */
export function periodStart(date: Date, unit: PeriodUnit): Date {
  const day = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  if (unit === "day") return new Date(day);
  if (unit === "month") return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
  const sinceMonday = (new Date(day).getUTCDay() + 6) % 7;
  return new Date(day - sinceMonday * DAY);
}

export function addPeriods(start: Date, unit: PeriodUnit, count: number): Date {
  if (unit === "month") return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + count, 1));
  return new Date(start.getTime() + count * (unit === "week" ? 7 : 1) * DAY);
}

/** "2026-03" for a month; the start date ("2026-03-02") for a week or a day. */
export function periodLabel(start: Date, unit: PeriodUnit): string {
  const iso = start.toISOString().slice(0, 10);
  return unit === "month" ? iso.slice(0, 7) : iso;
}

/** Whole periods between two period starts (b - a). */
export function periodsBetween(a: Date, b: Date, unit: PeriodUnit): number {
  if (unit === "month") return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
  return Math.round((b.getTime() - a.getTime()) / ((unit === "week" ? 7 : 1) * DAY));
}
