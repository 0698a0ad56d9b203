export type CustomFieldType = "text" | "number" | "date" | "boolean" | "select" | "multi_select" | "url" | "email";
export type CustomFieldValue = string | number | boolean | string[] | null;

export interface CustomFieldDefinition {
  key: string;
  label: string;
  type: CustomFieldType;
  options?: string[] | null;
  required: boolean;
}

export interface FieldIssue {
  path: string;
  message: string;
}

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

function isValidDate(value: string): boolean {
  if (!datePattern.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

function checkValue(def: CustomFieldDefinition, value: unknown): string | null {
  switch (def.type) {
    case "text":
      return typeof value === "string" && value.length <= 10_000 ? null : "Must be text of at most 10,000 characters";
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? null : "Must be a number";
    case "boolean":
      return typeof value === "boolean" ? null : "Must be true or false";
    case "date":
      return typeof value === "string" && isValidDate(value) ? null : "Must be a date as YYYY-MM-DD";
    case "url": {
      if (typeof value !== "string") return "Must be a URL";
      try {
        const url = new URL(value);
        return url.protocol === "http:" || url.protocol === "https:" ? null : "Must be an http(s) URL";
      } catch {
        return "Must be a URL";
      }
    }
    case "email":
      return typeof value === "string" && value.length <= 254 && emailPattern.test(value)
        ? null
        : "Must be an email address";
    case "select":
      return typeof value === "string" && (def.options ?? []).includes(value)
        ? null
        : `Must be one of: ${(def.options ?? []).join(", ")}`;
    case "multi_select":
      return Array.isArray(value) && value.every((v) => typeof v === "string" && (def.options ?? []).includes(v))
        ? null
        : `Must be a list of: ${(def.options ?? []).join(", ")}`;
  }
}

/**
 * Validates custom field values against the tenant's definitions. On create (`partial`
 * false) required fields must be present; on update only the given keys are checked.
 * `null` clears a field. Unknown keys are errors, so typos do not silently vanish.
 */
export function validateCustomFields(
  definitions: CustomFieldDefinition[],
  values: Record<string, unknown> | undefined,
  options: { partial: boolean; pathPrefix?: string; existing?: Record<string, CustomFieldValue> },
): { values: Record<string, CustomFieldValue>; issues: FieldIssue[] } {
  const prefix = options.pathPrefix ?? "body.customFields";
  const byKey = new Map(definitions.map((d) => [d.key, d]));
  const issues: FieldIssue[] = [];
  const merged: Record<string, CustomFieldValue> = { ...(options.existing ?? {}) };
  for (const [key, value] of Object.entries(values ?? {})) {
    const def = byKey.get(key);
    if (!def) {
      issues.push({ path: `${prefix}.${key}`, message: "No custom field has this key" });
      continue;
    }
    if (value === null) {
      if (def.required) issues.push({ path: `${prefix}.${key}`, message: "Required" });
      else delete merged[key];
      continue;
    }
    const problem = checkValue(def, value);
    if (problem) issues.push({ path: `${prefix}.${key}`, message: problem });
    else merged[key] = value as CustomFieldValue;
  }
  if (!options.partial) {
    for (const def of definitions) {
      const alreadyReported = issues.some((i) => i.path === `${prefix}.${def.key}`);
      if (def.required && !alreadyReported && (merged[def.key] === undefined || merged[def.key] === null)) {
        issues.push({ path: `${prefix}.${def.key}`, message: "Required" });
      }
    }
  }
  return { values: merged, issues };
}
