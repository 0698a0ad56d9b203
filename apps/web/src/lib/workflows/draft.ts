/**
 * The builder's working copy of a workflow and how it becomes a request body: defaults for each
 * trigger and action type, and the parts a PATCH must send (only what changed, so a rename does
 * not make a new version).
 */
import type { Pipeline } from "$lib/records/list/types";
import type { WorkflowField } from "./fields";
import type {
  Workflow,
  WorkflowAction,
  WorkflowActionType,
  WorkflowConditionGroup,
  WorkflowObject,
  WorkflowTrigger,
  WorkflowTriggerType,
} from "./types";

/** An action with a key that stays the same while the list is reordered. */
export interface ActionItem {
  key: number;
  action: WorkflowAction;
}

export interface Draft {
  name: string;
  description: string;
  object: WorkflowObject;
  trigger: WorkflowTrigger;
  conditions: WorkflowConditionGroup;
  actions: ActionItem[];
}

let nextKey = 1;
export const actionItem = (action: WorkflowAction): ActionItem => ({ key: nextKey++, action });

export function draftOf(workflow: Workflow | null): Draft {
  if (!workflow) {
    return {
      name: "",
      description: "",
      object: "contact",
      trigger: { type: "record.created" },
      conditions: { match: "all", rules: [] },
      actions: [],
    };
  }
  return {
    name: workflow.name,
    description: workflow.description ?? "",
    object: workflow.object,
    trigger: structuredClone(workflow.trigger),
    conditions: structuredClone({ match: workflow.conditions.match, rules: workflow.conditions.rules ?? [] }),
    actions: workflow.actions.map((action) => actionItem(structuredClone(action))),
  };
}

const dateFields = (fields: readonly WorkflowField[]) => fields.filter((field) => field.kind === "date");

export function defaultTrigger(
  type: WorkflowTriggerType,
  fields: readonly WorkflowField[],
  pipelines: readonly Pipeline[],
): WorkflowTrigger {
  switch (type) {
    case "record.created":
    case "record.updated":
    case "email.replied":
      return { type };
    case "field.changed":
      return { type, field: fields[0]?.path ?? "" };
    case "stage.entered": {
      const pipeline = pipelines[0];
      return { type, pipelineId: pipeline?.id ?? "", stageId: pipeline?.stages[0]?.id ?? "" };
    }
    case "schedule":
      return { type, cron: "0 9 * * 1-5", timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC" };
    case "date.relative":
      return { type, field: dateFields(fields)[0]?.path ?? "", offsetDays: -3 };
  }
}

export function defaultAction(
  type: WorkflowActionType,
  fields: readonly WorkflowField[],
  meId: string,
): WorkflowAction {
  switch (type) {
    case "update_field": {
      const field = fields.find((candidate) => candidate.writable);
      return { type, field: field?.path ?? "", value: "" };
    }
    case "create_task":
      return { type, title: "", dueInDays: 1, priority: "normal", assignee: { kind: "owner" } };
    case "assign":
      return { type, mode: "user", userId: meId };
    case "add_tag":
    case "remove_tag":
      return { type, tag: "" };
    case "send_email":
      return { type, to: { kind: "record" }, subject: "", body: "" };
    case "notify":
      return { type, recipient: { kind: "user", userId: meId }, message: "", email: false };
    case "call_webhook":
      return { type, url: "" };
    case "create_record":
      return { type, object: "task", fields: {} };
    case "enroll_in_sequence":
      return { type, sequenceId: "" };
    case "wait":
      return { type, mode: "duration", duration: { amount: 1, unit: "days" } };
  }
}

/** The definition part of the draft, as POST /workflows and PATCH take it. */
export function definitionOf(draft: Draft) {
  return {
    object: draft.object,
    trigger: draft.trigger,
    conditions: draft.conditions,
    actions: draft.actions.map((item) => item.action),
  };
}

/** The POST body for a new workflow. */
export function createBody(draft: Draft) {
  return { name: draft.name.trim(), description: draft.description.trim() || null, ...definitionOf(draft) };
}

/** The PATCH body: only the parts that differ from the saved workflow. */
export function patchBody(draft: Draft, saved: Workflow): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (draft.name.trim() !== saved.name) body.name = draft.name.trim();
  const description = draft.description.trim() || null;
  if (description !== saved.description) body.description = description;
  const definition = definitionOf(draft);
  const before = { object: saved.object, trigger: saved.trigger, conditions: saved.conditions, actions: saved.actions };
  for (const key of ["object", "trigger", "conditions", "actions"] as const) {
    if (JSON.stringify(definition[key]) !== JSON.stringify(before[key])) body[key] = definition[key];
  }
  return body;
}
