import {
  companies,
  contacts,
  customFieldDefinitions,
  customFieldTypes,
  deals,
  leads,
  newId,
  type RecordType,
  tasks,
} from "@crm/db";
import { ApiError } from "@crm/errors";
import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { auditQuery } from "../audit";
import { isUniqueViolation } from "../batch-guard";
import type { TenantContext } from "../context";

export type CustomFieldRow = typeof customFieldDefinitions.$inferSelect;
type CustomFieldType = (typeof customFieldTypes)[number];

/** A tenant keeps at most this many custom fields per object. */
export const maxCustomFieldsPerObject = 200;

const selectTypes = new Set<CustomFieldType>(["select", "multi_select"]);

export function publicCustomField(row: CustomFieldRow) {
  return {
    id: row.id,
    objectType: row.objectType,
    key: row.key,
    label: row.label,
    type: row.type,
    options: row.options ?? null,
    required: row.required,
    position: row.position,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type PublicCustomField = ReturnType<typeof publicCustomField>;

export interface CreateCustomFieldInput {
  objectType: RecordType;
  key: string;
  label: string;
  type: CustomFieldType;
  options?: string[] | null | undefined;
  required?: boolean | undefined;
  position?: number | undefined;
}

export type UpdateCustomFieldInput = Partial<
  Pick<CreateCustomFieldInput, "label" | "type" | "options" | "required" | "position">
>;

/** Options belong to select types only, and select types need at least one. */
function checkedOptions(type: CustomFieldType, options: string[] | null | undefined): string[] | null {
  if (!selectTypes.has(type)) {
    if (options && options.length > 0) {
      throw new ApiError("VALIDATION_FAILED", "Only select fields have options", {
        errors: [{ path: "body.options", message: `A ${type} field has no options` }],
      });
    }
    return null;
  }
  const unique = [...new Set((options ?? []).map((o) => o.trim()))].filter((o) => o !== "");
  if (unique.length === 0) {
    throw new ApiError("VALIDATION_FAILED", "A select field needs options", {
      errors: [{ path: "body.options", message: "Required for select and multi_select fields: at least one option" }],
    });
  }
  return unique;
}

/** The custom_fields column of the object's table. */
function valuesColumn(objectType: RecordType) {
  const tables = { contact: contacts, company: companies, lead: leads, deal: deals, task: tasks } as const;
  return tables[objectType];
}

/** The JSON types a stored value may have for a field type (SQLite's json_type names). */
function jsonTypesFor(type: CustomFieldType): string[] {
  if (type === "number") return ["integer", "real"];
  if (type === "boolean") return ["true", "false"];
  if (type === "multi_select") return ["array"];
  return ["text"];
}

async function countRecords(
  ctx: TenantContext,
  objectType: RecordType,
  where: (column: SQLiteColumn, path: string) => SQL,
  key: string,
) {
  const table = valuesColumn(objectType);
  return ctx.db.count(table, where(table.customFields, `$."${key}"`));
}

/** Records of the object holding any value under `key`. */
function recordsWithValues(ctx: TenantContext, objectType: RecordType, key: string) {
  return countRecords(
    ctx,
    objectType,
    (column, path) => sql`json_type(${column}, ${path}) is not null and json_type(${column}, ${path}) <> 'null'`,
    key,
  );
}

/** Records still holding values under `key` (from a deleted field) that `type` could not read. */
function recordsWithIncompatibleValues(ctx: TenantContext, objectType: RecordType, key: string, type: CustomFieldType) {
  const allowed = jsonTypesFor(type);
  return countRecords(
    ctx,
    objectType,
    (column, path) =>
      sql`json_type(${column}, ${path}) is not null and json_type(${column}, ${path}) not in ('null', ${sql.join(
        allowed.map((t) => sql`${t}`),
        sql`, `,
      )})`,
    key,
  );
}

const duplicateKey = (objectType: RecordType, key: string, existingId?: string) =>
  new ApiError("CONFLICT", `A ${objectType} custom field with the key ${key} already exists`, {
    extensions: existingId ? { existingId } : {},
  });

/** Every field, or one object's, in display order. */
export async function listCustomFields(ctx: TenantContext, filters: { objectType?: RecordType | undefined }) {
  const rows = await ctx.db.findMany(customFieldDefinitions, {
    where: filters.objectType ? eq(customFieldDefinitions.objectType, filters.objectType) : undefined,
    orderBy: [
      asc(customFieldDefinitions.objectType),
      asc(customFieldDefinitions.position),
      asc(customFieldDefinitions.key),
    ],
  });
  return { data: rows.map(publicCustomField), nextCursor: null };
}

async function findCustomField(ctx: TenantContext, id: string) {
  const row = await ctx.db.findFirst(customFieldDefinitions, eq(customFieldDefinitions.id, id));
  if (!row) throw new ApiError("NOT_FOUND", `Custom field ${id} was not found`);
  return row;
}

export async function getCustomField(ctx: TenantContext, id: string) {
  return publicCustomField(await findCustomField(ctx, id));
}

export async function createCustomField(ctx: TenantContext, input: CreateCustomFieldInput) {
  const options = checkedOptions(input.type, input.options);
  const sameObject = eq(customFieldDefinitions.objectType, input.objectType);
  const existing = await ctx.db.findFirst(
    customFieldDefinitions,
    and(sameObject, eq(customFieldDefinitions.key, input.key)),
  );
  if (existing) throw duplicateKey(input.objectType, input.key, existing.id);
  const count = await ctx.db.count(customFieldDefinitions, sameObject);
  if (count >= maxCustomFieldsPerObject) {
    throw new ApiError("CONFLICT", `A ${input.objectType} has at most ${maxCustomFieldsPerObject} custom fields`);
  }
  const stale = await recordsWithIncompatibleValues(ctx, input.objectType, input.key, input.type);
  if (stale > 0) {
    throw new ApiError(
      "CONFLICT",
      `${stale} ${input.objectType} record(s) still hold values under ${input.key} from a deleted field that a ${input.type} field cannot read; choose another key or type`,
      { extensions: { recordCount: stale } },
    );
  }
  const now = new Date();
  const row: CustomFieldRow = {
    id: newId("customField"),
    tenantId: ctx.tenant.id,
    objectType: input.objectType,
    key: input.key,
    label: input.label.trim(),
    type: input.type,
    options,
    required: input.required ?? false,
    position: input.position ?? count,
    createdAt: now,
    updatedAt: now,
  };
  const { tenantId: _tenantId, ...values } = row;
  try {
    await ctx.db.batch([
      ctx.db.insertQuery(customFieldDefinitions, values),
      auditQuery(ctx, { action: "create", entity: "custom_field", entityId: row.id, after: publicCustomField(row) }),
    ]);
  } catch (error) {
    // Two creations of one key raced: the unique index kept one.
    if (isUniqueViolation(error)) throw duplicateKey(input.objectType, input.key);
    throw error;
  }
  return publicCustomField(row);
}

/**
 * Label, options, required and position change freely. The type changes only while no
 * record holds a value for the field (409 otherwise: the values would stop validating).
 */
export async function updateCustomField(ctx: TenantContext, id: string, input: UpdateCustomFieldInput) {
  const before = await findCustomField(ctx, id);
  const type = input.type ?? before.type;
  if (type !== before.type) {
    const holding = await recordsWithValues(ctx, before.objectType, before.key);
    if (holding > 0) {
      throw new ApiError(
        "CONFLICT",
        `${holding} ${before.objectType} record(s) hold values for ${before.key}; clear them before changing its type`,
        { extensions: { recordCount: holding } },
      );
    }
  }
  // A select keeps its options unless new ones are given; a type without options drops them.
  const options = checkedOptions(
    type,
    input.options !== undefined ? input.options : selectTypes.has(type) ? before.options : null,
  );
  const after: CustomFieldRow = {
    ...before,
    label: input.label?.trim() ?? before.label,
    type,
    options,
    required: input.required ?? before.required,
    position: input.position ?? before.position,
    updatedAt: new Date(),
  };
  await ctx.db.batch([
    ctx.db.updateQuery(
      customFieldDefinitions,
      {
        label: after.label,
        type,
        options,
        required: after.required,
        position: after.position,
        updatedAt: after.updatedAt,
      },
      eq(customFieldDefinitions.id, id),
    ),
    auditQuery(ctx, {
      action: "update",
      entity: "custom_field",
      entityId: id,
      before: publicCustomField(before),
      after: publicCustomField(after),
    }),
  ]);
  return publicCustomField(after);
}

/**
 * Deletes the definition. Records keep their values under the key (nothing is rewritten),
 * but they are no longer shown, validated, filtered or sorted on.
 */
export async function deleteCustomField(ctx: TenantContext, id: string) {
  const before = await findCustomField(ctx, id);
  await ctx.db.batch([
    ctx.db.deleteQuery(customFieldDefinitions, eq(customFieldDefinitions.id, id)),
    auditQuery(ctx, { action: "delete", entity: "custom_field", entityId: id, before: publicCustomField(before) }),
  ]);
}
