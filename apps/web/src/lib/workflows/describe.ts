/**
 * Workflows in words: triggers, operators, actions and run states as the list, the builder and
 * the history name them ("When a deal enters Won", "Add tag", "Waiting").
 */
import type { Pipeline } from "$lib/records/list/types";
import { findField, objectLabels, type WorkflowField } from "./fields";
import type {
  ConditionOperator,
  ExecutionStatus,
  StepStatus,
  WorkflowActionType,
  WorkflowObject,
  WorkflowTrigger,
  WorkflowTriggerType,
  WorkflowValue,
} from "./types";

export const triggerTypeLabels: Record<WorkflowTriggerType, string> = {
  "record.created": "Record created",
  "record.updated": "Record updated",
  "field.changed": "Field changed",
  "stage.entered": "Deal enters a stage",
  "email.replied": "Contact replies to outreach",
  schedule: "On a schedule",
  "date.relative": "Relative to a date field",
};

export const operatorLabels: Record<ConditionOperator, string> = {
  equals: "is",
  not_equals: "is not",
  contains: "contains",
  not_contains: "does not contain",
  starts_with: "starts with",
  is_empty: "is empty",
  is_not_empty: "is not empty",
  gt: "is greater than",
  gte: "is at least",
  lt: "is less than",
  lte: "is at most",
  between: "is between",
  before: "is before",
  after: "is after",
  on: "is on",
  within_last_days: "is within the last … days",
  within_next_days: "is within the next … days",
  more_than_days_ago: "is more than … days ago",
  is_true: "is yes",
  is_false: "is no",
  in: "is any of",
  not_in: "is none of",
  has_tag: "has tag",
  not_has_tag: "does not have tag",
  has_any_tag: "has any of the tags",
};

/** Operators that take no value. */
export const valueless = new Set<ConditionOperator>(["is_empty", "is_not_empty", "is_true", "is_false"]);
/** Operators whose value is a number of days. */
export const dayOperators = new Set<ConditionOperator>(["within_last_days", "within_next_days", "more_than_days_ago"]);
/** Operators whose value is a list. */
export const listOperators = new Set<ConditionOperator>(["in", "not_in", "has_any_tag"]);

export const actionTypeLabels: Record<WorkflowActionType, string> = {
  update_field: "Update a field",
  create_task: "Create a task",
  assign: "Assign owner",
  add_tag: "Add tag",
  remove_tag: "Remove tag",
  send_email: "Send email",
  notify: "Notify a member",
  call_webhook: "Call a webhook",
  create_record: "Create a record",
  enroll_in_sequence: "Enroll in a sequence",
  wait: "Wait",
};

export const statusLabels: Record<ExecutionStatus | StepStatus, string> = {
  running: "Running",
  waiting: "Waiting",
  succeeded: "Succeeded",
  failed: "Failed",
  cancelled: "Cancelled",
  skipped: "Skipped",
};

export type Tone = "neutral" | "accent" | "success" | "danger" | "warning";

export const statusTones: Record<ExecutionStatus | StepStatus, Tone> = {
  running: "accent",
  waiting: "warning",
  succeeded: "success",
  failed: "danger",
  cancelled: "neutral",
  skipped: "neutral",
};

export const causeLabels: Record<"event" | "manual" | "schedule" | "date", string> = {
  event: "Event",
  manual: "Run now",
  schedule: "Schedule",
  date: "Date",
};

/** A value as a sentence reads it: `"customer"` → customer, `[a, b]` → a, b, null → empty. */
export function valueText(value: WorkflowValue | undefined): string {
  if (value === undefined || value === null || value === "") return "empty";
  if (Array.isArray(value)) return value.join(", ");
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value);
}

/** Stage ids → names, for the sentences that name a stage. */
export type StageNames = ReadonlyMap<string, string>;

/** Every stage as "Pipeline · Stage", by id. */
export function stageNames(pipelines: readonly Pipeline[]): StageNames {
  return new Map(
    pipelines.flatMap((pipeline) => pipeline.stages.map((stage) => [stage.id, `${pipeline.name} · ${stage.name}`])),
  );
}

/** "When a contact is created", "When a deal's Value changes to 100", "Every day at 09:00 (UTC)". */
export function triggerSummary(
  object: WorkflowObject,
  trigger: WorkflowTrigger,
  fields: readonly WorkflowField[] = [],
  stages: StageNames = new Map(),
): string {
  const noun = objectLabels[object].one;
  const label = (path: string) => findField(fields, path)?.label ?? path;
  switch (trigger.type) {
    case "record.created":
      return `When a ${noun} is created`;
    case "record.updated":
      return `When a ${noun} is updated`;
    case "field.changed": {
      const parts = [`When a ${noun}'s ${label(trigger.field)} changes`];
      if (trigger.from !== undefined) parts.push(`from ${valueText(trigger.from)}`);
      if (trigger.to !== undefined) parts.push(`to ${valueText(trigger.to)}`);
      return parts.join(" ");
    }
    case "stage.entered":
      return `When a deal enters ${stages.get(trigger.stageId) ?? "a stage"}`;
    case "email.replied":
      return trigger.classifications
        ? `When a contact replies to outreach (${trigger.classifications.map((c) => c.replace("_", " ")).join(", ")})`
        : "When a contact replies to outreach";
    case "schedule":
      return `On a schedule: ${trigger.cron} (${trigger.timeZone ?? "UTC"})`;
    case "date.relative": {
      const days = Math.abs(trigger.offsetDays);
      const when =
        trigger.offsetDays === 0
          ? "On"
          : `${days} day${days === 1 ? "" : "s"} ${trigger.offsetDays < 0 ? "before" : "after"}`;
      return `${when} a ${noun}'s ${label(trigger.field)}`;
    }
  }
}
