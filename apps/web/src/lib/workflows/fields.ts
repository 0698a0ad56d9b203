/**
 * The fields a workflow can test, watch and write, per object: the API's own catalog
 * (`standardFields` of @crm/workflows: which fields exist, their kind, which a workflow may
 * write) with the labels and options the record pages use (`$lib/records/objects`), plus the
 * tenant's custom fields as `customFields.<key>`. `kind` picks the condition operators;
 * `input` picks the value control.
 */
import { eventFields, fieldInfo, standardFields, type FieldInfo } from "@crm/workflows/fields";
import { objects, optionLabel, type CustomFieldDef, type ObjectKey } from "$lib/records/objects";
import type { FieldKind, WorkflowObject } from "./types";

export type ValueInput = "text" | "longtext" | "number" | "date" | "boolean" | "select" | "tags" | "member" | "stage";

export interface WorkflowField {
  /** The definition's name for it: an API field name, or customFields.<key>. */
  path: string;
  label: string;
  kind: FieldKind;
  input: ValueInput;
  options?: readonly string[];
  /** update_field may write it. */
  writable: boolean;
  custom: boolean;
  /** A field of the triggering event (reply.ai.classification), not of the record. */
  event?: boolean;
}

export const objectKeyOf: Record<WorkflowObject, ObjectKey> = {
  contact: "contacts",
  company: "companies",
  lead: "leads",
  deal: "deals",
  task: "tasks",
};

function inputOf(path: string, info: FieldInfo, longText: boolean): ValueInput {
  if (info.user) return "member";
  if (path === "stageId") return "stage";
  switch (info.kind) {
    case "select":
      // Ids of other records (companyId, contactId) have no fixed options: typed as text.
      return info.options ? "select" : "text";
    case "text":
      return longText ? "longtext" : "text";
    default:
      return info.kind;
  }
}

/** `expectedCloseDate` → "Expected close date" when the record pages do not name it. */
const wordsOf = (key: string) => optionLabel(key.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase());

/** The object's workflow fields (standard first, then custom in their settings order). */
export function workflowFields(object: WorkflowObject, customFields: readonly CustomFieldDef[]): WorkflowField[] {
  const described = objects[objectKeyOf[object]].fields;
  const fields: WorkflowField[] = Object.entries(standardFields[object]).map(([path, info]) => {
    const def = described.find((field) => field.key === path);
    return {
      path,
      label: def?.label ?? wordsOf(path),
      kind: info.kind,
      input: inputOf(path, info, def?.kind === "longtext"),
      options: info.options ?? undefined,
      writable: info.writable,
      custom: false,
    };
  });
  const own = [...customFields]
    .filter((definition) => definition.objectType === object)
    .sort((a, b) => a.position - b.position);
  for (const definition of own) {
    const path = `customFields.${definition.key}`;
    const info = fieldInfo(object, path, own);
    if (!info) continue;
    fields.push({
      path,
      label: definition.label,
      kind: info.kind,
      input: inputOf(path, info, false),
      options: info.options ?? undefined,
      writable: info.writable,
      custom: true,
    });
  }
  return fields;
}

const eventFieldLabels: Record<string, string> = {
  "reply.classification": "Reply class (rules)",
  "reply.ai.classification": "Reply class (AI)",
  "reply.ai.suggestedAction.type": "AI suggested action",
  "reply.ai.confidence": "AI confidence (0-1)",
  "reply.subject": "Reply subject",
  "reply.from": "Reply sender",
};

/**
 * What a condition can test: the object's fields plus the triggering event's own (an
 * email.replied trigger's reply class, AI class and suggested action).
 */
export function conditionFields(
  object: WorkflowObject,
  customFields: readonly CustomFieldDef[],
  trigger: string,
): WorkflowField[] {
  const fields = workflowFields(object, customFields);
  const own = eventFields[trigger as keyof typeof eventFields] ?? {};
  for (const [path, info] of Object.entries(own)) {
    fields.push({
      path,
      label: eventFieldLabels[path] ?? wordsOf(path.split(".").at(-1)!),
      kind: info.kind,
      input: inputOf(path, info, false),
      options: info.options ?? undefined,
      writable: false,
      custom: false,
      event: true,
    });
  }
  return fields;
}

/** Fields a create_record action may set on a new record (pipeline and stage included). */
export function creatableFields(object: WorkflowObject, customFields: readonly CustomFieldDef[]): WorkflowField[] {
  return workflowFields(object, customFields).filter(
    (field) => field.writable || field.path === "pipelineId" || field.path === "stageId",
  );
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
