// Send windows and delays in the recipient's time zone. A window is a set of weekdays
// (1 = Monday … 7 = Sunday) and a daily "HH:MM"-"HH:MM" range of wall-clock time in an IANA
// zone; DST changes move the instants, not the wall-clock hours.
import { TZDate } from "@date-fns/tz";

export interface SendWindow {
  days: number[];
  start: string;
  end: string;
}

export type DelayUnit = "hours" | "days" | "business_days";

const clock = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight of "HH:MM" ("24:00" is not accepted: end a day at "23:59"). */
function minutesOf(value: string): number {
  const m = clock.exec(value);
  if (!m) throw new Error(`Not a time of day: ${value}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Whether a zone name is one the runtime knows (IANA, e.g. "Europe/Paris"). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** What is wrong with a window, by field; empty when it can send at least once a week. */
export function sendWindowProblems(window: SendWindow): { field: "days" | "start" | "end"; message: string }[] {
  const problems: { field: "days" | "start" | "end"; message: string }[] = [];
  if (window.days.length === 0) problems.push({ field: "days", message: "Pick at least one day" });
  if (window.days.some((d) => !Number.isInteger(d) || d < 1 || d > 7))
    problems.push({ field: "days", message: "Days are 1 (Monday) to 7 (Sunday)" });
  if (!clock.test(window.start)) problems.push({ field: "start", message: 'A time of day as "HH:MM"' });
  if (!clock.test(window.end)) problems.push({ field: "end", message: 'A time of day as "HH:MM"' });
  else if (clock.test(window.start) && minutesOf(window.end) <= minutesOf(window.start))
    problems.push({ field: "end", message: "The window must end after it starts" });
  return problems;
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a zoned date. */
function isoDay(date: TZDate): number {
  return ((date.getDay() + 6) % 7) + 1;
}

/** The instant of a wall-clock time `dayOffset` days after `local`'s date, in its zone. */
function wallClock(local: TZDate, dayOffset: number, minutes: number, zone: string): TZDate {
  return new TZDate(
    local.getFullYear(),
    local.getMonth(),
    local.getDate() + dayOffset,
    Math.floor(minutes / 60),
    minutes % 60,
    0,
    0,
    zone,
  );
}

/**
 * The first instant at or after `from` inside the window in `zone`: `from` itself when it is
 * inside, else the next opening. Null only for a window that never opens.
 */
export function nextWindowOpening(from: Date, window: SendWindow, zone: string): Date | null {
  if (sendWindowProblems(window).length > 0) return null;
  const local = new TZDate(from.getTime(), zone);
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  for (let offset = 0; offset <= 7; offset += 1) {
    const opens = wallClock(local, offset, start, zone);
    if (!window.days.includes(isoDay(opens))) continue;
    const closes = wallClock(local, offset, end, zone);
    if (from.getTime() < opens.getTime()) return new Date(opens.getTime());
    if (from.getTime() < closes.getTime()) return new Date(from.getTime());
  }
  return null;
}

export function isInsideWindow(at: Date, window: SendWindow, zone: string): boolean {
  return nextWindowOpening(at, window, zone)?.getTime() === at.getTime();
}

/**
 * `from` plus a step's delay, counted in `zone`: hours as elapsed time, days as calendar days
 * (the same wall-clock time, across DST), business days skipping Saturdays and Sundays.
 */
export function addDelay(from: Date, amount: number, unit: DelayUnit, zone: string): Date {
  if (amount <= 0) return new Date(from.getTime());
  if (unit === "hours") return new Date(from.getTime() + amount * 3600_000);
  const local = new TZDate(from.getTime(), zone);
  const minutes = local.getHours() * 60 + local.getMinutes();
  const shifted = (days: number) => {
    const at = wallClock(local, days, minutes, zone);
    at.setSeconds(local.getSeconds(), local.getMilliseconds());
    return at;
  };
  if (unit === "days") return new Date(shifted(amount).getTime());
  let days = 0;
  let counted = 0;
  while (counted < amount) {
    days += 1;
    if (isoDay(shifted(days)) <= 5) counted += 1;
  }
  return new Date(shifted(days).getTime());
}
