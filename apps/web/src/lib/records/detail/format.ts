import { optionLabel, type FieldKind } from "$lib/records/objects";
import type { Member } from "./types";

const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short" });
const dateOnly = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });
const number = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 2 });

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

/** A `YYYY-MM-DD` date, read as a calendar day (not shifted by the viewer's time zone). */
export function formatDate(value: string | null | undefined): string {
  if (!value) return "";
  const date = new Date(`${value.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? value : dateOnly.format(date);
}

export function formatMoney(value: unknown, currency: string | null | undefined): string {
  if (typeof value !== "number") return "";
  try {
    return new Intl.NumberFormat("en-US", {
      style: "currency",
      currency: currency || "USD",
      maximumFractionDigits: 0,
    }).format(value);
  } catch {
    return `${number.format(value)} ${currency ?? ""}`.trim();
  }
}

/** How a field's value reads on the page; "" when it is empty. */
export function formatValue(
  kind: FieldKind,
  value: unknown,
  context: { members?: Member[]; currency?: string | null } = {},
): string {
  if (value === null || value === undefined || value === "") return "";
  switch (kind) {
    case "number":
      return typeof value === "number" ? number.format(value) : String(value);
    case "money":
      return formatMoney(value, context.currency);
    case "date":
      return formatDate(String(value));
    case "datetime":
      return formatDateTime(String(value));
    case "boolean":
      return value === true ? "Yes" : value === false ? "No" : String(value);
    case "select":
      return optionLabel(String(value));
    case "multi_select":
    case "tags":
      return Array.isArray(value) ? value.join(", ") : String(value);
    case "member": {
      const member = context.members?.find((m) => m.id === value);
      return member ? member.name : String(value);
    }
    default:
      return String(value);
  }
}

/** `2026-12-01T10:00:00.000Z` → the `datetime-local` input's `2026-12-01T11:00` in the viewer's zone. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

/** The inverse of toLocalInput: a local `datetime-local` value as an ISO instant. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

export function memberName(members: Member[], id: string | null | undefined): string {
  if (!id) return "";
  return members.find((member) => member.id === id)?.name ?? "Someone outside this organization";
}
