// Time maths for workflows: the next run of a cron schedule in a time zone (croner), when a
// wait ends, and when a date-relative trigger falls due. Pure: `now` is always passed in.
import { Cron } from "croner";
import type { WorkflowAction, WorkflowDuration } from "./definition";
import { toInstant } from "./conditions";
import { readField } from "./fields";

const unitMs = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;
export const dayMs = unitMs.days;

/** Whether the time zone is one Intl knows (IANA names such as Europe/Paris). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Why a five-field cron expression is refused, or null. */
export function cronProblem(expression: string, timeZone: string): string | null {
  if (expression.trim().split(/\s+/).length !== 5)
    return "Must be a five-field cron expression (minute hour day month weekday)";
  if (!isTimeZone(timeZone)) return `Unknown time zone ${timeZone}`;
  try {
    const next = new Cron(expression, { timezone: timeZone, paused: true }).nextRun(new Date());
    return next ? null : "This schedule never runs";
  } catch (error) {
    return `Not a valid cron expression: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** The first run strictly after `after`, in `timeZone` (null if the schedule never runs again). */
export function nextCronRun(expression: string, timeZone: string, after: Date): Date | null {
  return new Cron(expression, { timezone: timeZone, paused: true }).nextRun(after);
}

export function addDuration(from: Date, duration: WorkflowDuration): Date {
  return new Date(from.getTime() + duration.amount * unitMs[duration.unit]);
}

/**
 * When a wait step lets the run continue: after its duration, or at the record's date
 * field plus the offset in days. null: the field is empty (the step fails).
 */
export function waitResumeAt(
  action: Extract<WorkflowAction, { type: "wait" }>,
  record: Record<string, unknown>,
  now: Date,
): Date | null {
  if (action.mode === "duration") return addDuration(now, action.duration);
  const at = toInstant(readField(record, action.field));
  return at === null ? null : new Date(at + action.offsetDays * dayMs);
}

/** `YYYY-MM-DD` of an instant, in UTC. */
export function utcDay(at: Date | number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/**
 * The date-field values due in a check covering days `from`..`to` (UTC, inclusive) for a
 * trigger `offsetDays` after the date: a record is due on date + offset, so its date lies in
 * [from - offset, to - offset].
 */
export function relativeDateWindow(from: Date, to: Date, offsetDays: number): { first: string; last: string } {
  return {
    first: utcDay(from.getTime() - offsetDays * dayMs),
    last: utcDay(to.getTime() - offsetDays * dayMs),
  };
}

/** The day a record with this date value falls due for the trigger (date + offset), or null. */
export function relativeDueDay(value: unknown, offsetDays: number): string | null {
  const at = toInstant(value);
  return at === null ? null : utcDay(at + offsetDays * dayMs);
}
