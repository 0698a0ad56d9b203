import { customFieldDefinitions, type RecordType, type TenantDb } from "@crm/db";
import { ApiError } from "@crm/errors";
import { type CustomFieldValue, validateCustomFields } from "@crm/records";
import { asc, eq, type SQL, sql } from "drizzle-orm";
import { remembered, type TenantContext } from "../context";

const definitionsKey = (objectType: RecordType) => `customFieldDefinitions:${objectType}`;
const definitionsOrder = [asc(customFieldDefinitions.position), asc(customFieldDefinitions.key)];
export type CustomFieldDefinitionRow = typeof customFieldDefinitions.$inferSelect;

export async function customFieldDefinitionsFor(ctx: TenantContext, objectType: RecordType) {
  return remembered(ctx, definitionsKey(objectType), () =>
    ctx.db.findMany(customFieldDefinitions, {
      where: eq(customFieldDefinitions.objectType, objectType),
      orderBy: definitionsOrder,
    }),
  );
}

/**
 * customFieldDefinitionsFor's read, unexecuted, for the object type an SQL expression gives
 * (so it can share a D1 batch with the read that says which object it is).
 */
export function customFieldDefinitionsQuery(db: TenantDb, objectType: SQL) {
  return db.selectQuery(customFieldDefinitions, {
    where: sql`${customFieldDefinitions.objectType} = ${objectType}`,
    orderBy: definitionsOrder,
  });
}

/** Rows read by customFieldDefinitionsQuery, kept in `ctx` for customFieldDefinitionsFor. */
export function rememberCustomFieldDefinitions(
  ctx: TenantContext,
  objectType: RecordType,
  rows: CustomFieldDefinitionRow[],
): void {
  ctx.memo?.set(definitionsKey(objectType), Promise.resolve(rows));
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
