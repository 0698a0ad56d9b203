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

/** Audit entity names as words: `pipeline_stage` → "pipeline stage", `api_key` → "API key". */
export function entityLabel(entity: string): string {
  return entity.replaceAll("_", " ").replace(/^api /, "API ");
}

export const capitalize = (text: string) => text.replace(/^./, (c) => c.toUpperCase());

export const canManage = (role: string) => role === "owner" || role === "admin";
