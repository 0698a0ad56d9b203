/**
 * The API names a refused value by its body path (`emails.0.address`, `customFields.size`,
 * `consent.status`); a form shows it at the field that wrote that part of the body.
 */
import { writeField, type ApiRecord, type FieldDef } from "./objects";

const blankRecord: ApiRecord = { id: "" };

/** The top-level body path a field writes (`emails` for a contact's email, `customFields.size`). */
function bodyPath(field: FieldDef): string {
  const body = writeField(field, "x", blankRecord);
  const [key] = Object.keys(body);
  if (key === "customFields") {
    const [custom] = Object.keys((body.customFields as Record<string, unknown>) ?? {});
    return custom ? `customFields.${custom}` : key;
  }
  return key ?? field.key;
}

/**
 * Field key → message for errors keyed by body path (`fieldErrors(problem)`); paths no field
 * wrote are returned separately, to show with the form's message.
 */
export function errorsAtFields(
  fields: FieldDef[],
  errors: Record<string, string>,
): { byField: Record<string, string>; unplaced: string[] } {
  const paths = fields.map((field) => [field.key, bodyPath(field)] as const);
  const byField: Record<string, string> = {};
  const unplaced: string[] = [];
  for (const [path, message] of Object.entries(errors)) {
    const match = paths.find(([, prefix]) => path === prefix || path.startsWith(`${prefix}.`));
    if (match) byField[match[0]] ??= message;
    else unplaced.push(`${path}: ${message}`);
  }
  return { byField, unplaced };
}
