/** Dates as people read them in the settings lists ("Mar 3, 2026, 14:05"); "—" for none. */
const dateTime = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });
const dateOnly = new Intl.DateTimeFormat("en", { dateStyle: "medium" });

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return "—";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : dateTime.format(date);
}

export function formatDate(value: string | null | undefined): string {
  if (!value) return "—";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : dateOnly.format(date);
}

/** `api_key` → "Api key" reads badly: entity names as words. */
export function entityLabel(entity: string): string {
  const words = entity.replaceAll("_", " ");
  return words.replace("api ", "API ").replace(/^./, (c) => c.toUpperCase());
}

export const canManage = (role: string) => role === "owner" || role === "admin";
