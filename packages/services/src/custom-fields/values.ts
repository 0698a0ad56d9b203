import type { customFieldDefinitions, CustomFieldValues } from "@crm/db";
import { ApiError } from "@crm/errors";
import { validateCustomFields } from "@crm/records";

type Definition = typeof customFieldDefinitions.$inferSelect;

/**
 * The custom field values a record shows: only keys that still have a definition. Deleting
 * a field keeps its values in the rows (re-creating it with a compatible type brings them
 * back) but they stop being shown, validated, filtered or sorted on.
 */
export function shownCustomFields(
  values: CustomFieldValues,
  definitions: Pick<Definition, "key">[],
): CustomFieldValues {
  const defined = new Set(definitions.map((d) => d.key));
  return Object.fromEntries(Object.entries(values).filter(([key]) => defined.has(key)));
}

/**
 * `values` checked against already-loaded definitions and merged over `existing`; a 422
 * with `<prefix>.<key>` paths otherwise. For bulk writes: load the definitions once.
 */
export function checkedCustomFields(
  definitions: Definition[],
  values: Record<string, unknown> | undefined,
  options: { partial: boolean; existing?: CustomFieldValues; pathPrefix?: string },
): CustomFieldValues {
  const result = validateCustomFields(definitions, values, options);
  if (result.issues.length > 0) {
    throw new ApiError("VALIDATION_FAILED", "Some custom fields are invalid", { errors: result.issues });
  }
  return result.values;
}
