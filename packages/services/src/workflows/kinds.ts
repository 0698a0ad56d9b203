import { customFieldDefinitions, type TenantDb } from "@crm/db";
import { type FieldKind, fieldInfo, type WorkflowObject } from "@crm/workflows";

/** The kind of each field per object for condition evaluation, with the tenant's custom fields (one read). */
export async function conditionKinds(db: TenantDb) {
  const definitions = await db.findMany(customFieldDefinitions);
  return (object: WorkflowObject) => {
    const custom = definitions
      .filter((d) => d.objectType === object)
      .map((d) => ({ key: d.key, type: d.type, options: d.options }));
    return (field: string): FieldKind | null => fieldInfo(object, field, custom)?.kind ?? null;
  };
}
