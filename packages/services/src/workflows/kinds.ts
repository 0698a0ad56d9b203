import { customFieldDefinitions, type TenantDb } from "@crm/db";
import { type FieldKind, fieldInfo, type WorkflowObject, type WorkflowTriggerType } from "@crm/workflows";

/** The kind of each field per object for condition evaluation, with the tenant's custom fields (one read). */
export async function conditionKinds(db: TenantDb) {
  const definitions = await db.findMany(customFieldDefinitions);
  // With the trigger, a condition may read the triggering event's own fields (reply.ai.classification).
  return (object: WorkflowObject, trigger?: WorkflowTriggerType) => {
    const custom = definitions
      .filter((d) => d.objectType === object)
      .map((d) => ({ key: d.key, type: d.type, options: d.options }));
    return (field: string): FieldKind | null => fieldInfo(object, field, custom, trigger)?.kind ?? null;
  };
}
