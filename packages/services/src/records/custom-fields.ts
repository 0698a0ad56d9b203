import { customFieldDefinitions, type RecordType } from "@crm/db";
import { ApiError } from "@crm/errors";
import { type CustomFieldValue, validateCustomFields } from "@crm/records";
import { asc, eq } from "drizzle-orm";
import { remembered, type TenantContext } from "../context";

export async function customFieldDefinitionsFor(ctx: TenantContext, objectType: RecordType) {
  return remembered(ctx, `customFieldDefinitions:${objectType}`, () =>
    ctx.db.findMany(customFieldDefinitions, {
      where: eq(customFieldDefinitions.objectType, objectType),
      orderBy: [asc(customFieldDefinitions.position), asc(customFieldDefinitions.key)],
    }),
  );
}

/**
 * Checks `values` against the tenant's custom fields for the object and returns the
 * merged result; any invalid field is a 422 with its path (`body.customFields.<key>`).
 */
export async function resolveCustomFields(
  ctx: TenantContext,
  objectType: RecordType,
  values: Record<string, unknown> | undefined,
  options: { partial: boolean; existing?: Record<string, CustomFieldValue>; pathPrefix?: string },
): Promise<Record<string, CustomFieldValue>> {
  const definitions = await customFieldDefinitionsFor(ctx, objectType);
  const result = validateCustomFields(definitions, values, options);
  if (result.issues.length > 0) {
    throw new ApiError("VALIDATION_FAILED", "Some custom fields are invalid", { errors: result.issues });
  }
  return result.values;
}
