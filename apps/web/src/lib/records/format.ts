/**
 * How record values read as text: numbers, money, dates and option labels. Pure functions (no
 * lookups, no DOM), shared by list cells and detail pages. Dates that carry no time
 * (`2026-12-31`) are read in UTC so the day never shifts with the viewer's time zone.
 */
import { optionLabel } from "./objects";

const numberFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
const moneyFormats = new Map<string, Intl.NumberFormat>();
const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });
const dateTimeFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short" });

/** `1234.5` → `1,234.5`. */
export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

/** `12000, "EUR"` → `€12,000`; without a currency just the grouped number. */
export function formatMoney(value: number, currency?: string | null): string {
  if (!currency || !/^[A-Z]{3}$/.test(currency)) return formatNumber(value);
  let format = moneyFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat("en-US", {
      style: "currency",
      currency,
      minimumFractionDigits: 0,
      maximumFractionDigits: 2,
    });
    moneyFormats.set(currency, format);
  }
  return format.format(value);
}

/** `2026-12-31` (or an ISO instant) → `Dec 31, 2026`; unreadable input is returned as given. */
export function formatDate(value: string): string {
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(date.getTime()) ? value : dateFormat.format(date);
}

/** An ISO instant → `Dec 1, 2026, 2:05 PM` in the viewer's time zone. */
export function formatDateTime(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : dateTimeFormat.format(date);
}

/** `true` → `Yes`. */
export function formatBoolean(value: boolean): string {
  return value ? "Yes" : "No";
}

/** An option value as a person reads it (`in_progress` → `In progress`); custom options stay as typed. */
export function formatOption(value: string, custom = false): string {
  return custom ? value : optionLabel(value);
}

/** `3, "contact", "contacts"` → `3 contacts`. */
export function countLabel(count: number, singular: string, plural: string): string {
  return `${formatNumber(count)} ${count === 1 ? singular : plural}`;
}
