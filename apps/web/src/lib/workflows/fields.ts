/**
 * The fields a workflow can test, watch and write, per object: the record descriptions of
 * `$lib/records/objects` (labels, options) plus the tenant's custom fields, named the way a
 * workflow definition names them (`lifecycleStage`, `customFields.<key>`). `kind` picks the
 * condition operators (`conditionOperators` of @crm/workflows); `input` picks the value control.
 */
import {
  customFieldDefs,
  objects,
  type CustomFieldDef,
  type FieldDef,
  type ObjectKey,
  type ObjectType,
} from "$lib/records/objects";
import type { FieldKind, WorkflowObject } from "./types";

export type ValueInput = "text" | "longtext" | "number" | "date" | "boolean" | "select" | "tags" | "member" | "stage";

export interface WorkflowField {
  /** The definition's name for it: an API field name, or customFields.<key>. */
  path: string;
  label: string;
  kind: FieldKind;
  input: ValueInput;
  options?: readonly string[];
  /** update_field and create_record may write it. */
  writable: boolean;
  custom: boolean;
}

export const objectKeyOf: Record<WorkflowObject, ObjectKey> = {
  contact: "contacts",
  company: "companies",
  lead: "leads",
  deal: "deals",
  task: "tasks",
};

// Fields the record pages compute from other data (a contact's name, primary email and first
// phone) have no single API field to test or write: workflows leave them out.
const computed: Partial<Record<WorkflowObject, string[]>> = { contact: ["name", "email", "phone"], lead: ["name"] };

function kindOf(field: FieldDef): { kind: FieldKind; input: ValueInput } | null {
  switch (field.kind) {
    case "text":
    case "email":
    case "phone":
    case "url":
      return { kind: "text", input: "text" };
    case "longtext":
      return { kind: "text", input: "longtext" };
    case "number":
    case "money":
      return { kind: "number", input: "number" };
    case "date":
    case "datetime":
      return { kind: "date", input: "date" };
    case "boolean":
      return { kind: "boolean", input: "boolean" };
    case "select":
      return { kind: "select", input: "select" };
    case "multi_select":
    case "tags":
      return { kind: "tags", input: "tags" };
    case "member":
      return { kind: "select", input: "member" };
    case "stage":
      return { kind: "select", input: "stage" };
    case "pipeline":
    case "company":
    case "contact":
      // Record ids: compared as text.
      return { kind: "text", input: "text" };
  }
}

/** The object's workflow fields (standard first, then custom in their settings order). */
export function workflowFields(object: WorkflowObject, customFields: readonly CustomFieldDef[]): WorkflowField[] {
  const def = objects[objectKeyOf[object]];
  const skip = new Set(computed[object] ?? []);
  const fields: WorkflowField[] = [];
  for (const field of def.fields) {
    if (skip.has(field.key)) continue;
    const kind = kindOf(field);
    if (!kind) continue;
    fields.push({
      path: field.key,
      label: field.label,
      ...kind,
      options: field.options,
      writable: Boolean(field.editable) || field.key === "pipelineId" || field.key === "stageId",
      custom: false,
    });
  }
  const own = customFields.filter((definition) => definition.objectType === (object satisfies ObjectType));
  for (const field of customFieldDefs(own)) {
    const kind = kindOf(field);
    if (!kind) continue;
    fields.push({
      path: `customFields.${field.key.replace(/^cf\./, "")}`,
      label: field.label,
      ...kind,
      options: field.options,
      writable: true,
      custom: true,
    });
  }
  return fields;
}

export function findField(fields: readonly WorkflowField[], path: string | undefined): WorkflowField | undefined {
  return fields.find((field) => field.path === path);
}

export const objectLabels: Record<WorkflowObject, { one: string; many: string }> = {
  contact: { one: "contact", many: "contacts" },
  company: { one: "company", many: "companies" },
  lead: { one: "lead", many: "leads" },
  deal: { one: "deal", many: "deals" },
  task: { one: "task", many: "tasks" },
};
