// `{{record.firstName}}` tokens in texts a workflow writes, with a fallback after `|`
// (`{{record.firstName|there}}`) for an empty value.
import { readField } from "./fields";

const tokenPattern = /\{\{\s*record\.((?:customFields\.)?[A-Za-z][A-Za-z0-9_]*)\s*(?:\|([^}]*))?\}\}/g;

/** The fields a text's tokens name, in order of appearance. */
export function tokenFields(template: string): string[] {
  return [...template.matchAll(tokenPattern)].map((m) => m[1]!);
}

function display(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map(display).join(", ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** The text with each token replaced by the record's value (or the fallback, or nothing). */
export function renderTokens(template: string, record: Record<string, unknown>): string {
  return template.replace(tokenPattern, (_match, field: string, fallback: string | undefined) => {
    const value = display(readField(record, field));
    return value.trim() === "" ? (fallback ?? "").trim() : value;
  });
}
