// The checks a definition passes before it is saved that the schema alone cannot make:
// fields that exist on the object, operators that fit their type, stages of a real
// pipeline, cron expressions, members, and `{{record.x}}` tokens. Pure: what the tenant has
// is passed in. Paths are relative to the definition (`actions.2.field`).
import { conditionProblem } from "./conditions";
import type { WorkflowDefinition, WorkflowObject } from "./definition";
import { type CustomFieldInfo, fieldInfo } from "./fields";
import { cronProblem } from "./timing";
import { tokenFields } from "./tokens";

export interface DefinitionLookups {
  customFields: Record<WorkflowObject, CustomFieldInfo[]>;
  memberIds: ReadonlySet<string>;
  pipelines: { id: string; stageIds: string[] }[];
}

export interface DefinitionIssue {
  path: string;
  message: string;
}

export function validateDefinition(definition: WorkflowDefinition, lookups: DefinitionLookups): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const { object } = definition;
  const info = (field: string, on: WorkflowObject = object) => fieldInfo(on, field, lookups.customFields[on]);
  // Conditions may also read the triggering event's fields (reply.ai.classification).
  const conditionInfo = (field: string) =>
    fieldInfo(object, field, lookups.customFields[object], definition.trigger.type);
  const unknownField = (path: string, field: string, on: WorkflowObject = object) =>
    issues.push({ path, message: `A ${on} has no field ${field}` });
  const checkTokens = (path: string, text: string | undefined) => {
    for (const field of tokenFields(text ?? "")) {
      if (!info(field)) issues.push({ path, message: `The token {{record.${field}}} names no field of a ${object}` });
    }
  };
  const checkMember = (path: string, userId: string) => {
    if (!lookups.memberIds.has(userId))
      issues.push({ path, message: "No member of this organization has this user id" });
  };

  const trigger = definition.trigger;
  switch (trigger.type) {
    case "field.changed":
      if (!info(trigger.field)) unknownField("trigger.field", trigger.field);
      break;
    case "date.relative": {
      const field = info(trigger.field);
      if (!field) unknownField("trigger.field", trigger.field);
      else if (field.kind !== "date")
        issues.push({ path: "trigger.field", message: `${trigger.field} is not a date field` });
      break;
    }
    case "stage.entered": {
      if (object !== "deal") {
        issues.push({ path: "trigger.type", message: "stage.entered applies to deals only (object must be deal)" });
        break;
      }
      const pipeline = lookups.pipelines.find((p) => p.id === trigger.pipelineId);
      if (!pipeline)
        issues.push({ path: "trigger.pipelineId", message: "No pipeline of this organization has this id" });
      else if (!pipeline.stageIds.includes(trigger.stageId))
        issues.push({ path: "trigger.stageId", message: "This pipeline has no stage with this id" });
      break;
    }
    case "email.replied":
      if (object !== "contact")
        issues.push({
          path: "trigger.type",
          message: "email.replied applies to contacts only (object must be contact)",
        });
      break;
    case "schedule": {
      const problem = cronProblem(trigger.cron, trigger.timeZone);
      if (problem)
        issues.push({
          path: problem.startsWith("Unknown time zone") ? "trigger.timeZone" : "trigger.cron",
          message: problem,
        });
      break;
    }
    default:
      break;
  }

  definition.conditions.rules.forEach((rule, i) => {
    const field = conditionInfo(rule.field);
    if (!field) {
      if (rule.field.startsWith("reply."))
        return issues.push({
          path: `conditions.rules.${i}.field`,
          message: `${rule.field} is a field of the email.replied event: only workflows with that trigger can test it`,
        });
      return unknownField(`conditions.rules.${i}.field`, rule.field);
    }
    const problem = conditionProblem(field, rule.operator, rule.value);
    if (problem) {
      const path = problem.startsWith("The operator") ? "operator" : "value";
      issues.push({ path: `conditions.rules.${i}.${path}`, message: problem });
    }
  });

  definition.actions.forEach((action, i) => {
    const at = (suffix: string) => `actions.${i}.${suffix}`;
    switch (action.type) {
      case "update_field": {
        const field = info(action.field);
        if (!field) unknownField(at("field"), action.field);
        else if (!field.writable)
          issues.push({ path: at("field"), message: `${action.field} cannot be set by a workflow` });
        else if (
          field.kind === "select" &&
          field.options &&
          typeof action.value === "string" &&
          !field.options.includes(action.value)
        )
          issues.push({ path: at("value"), message: `Must be one of ${field.options.join(", ")}` });
        else if (field.user && typeof action.value === "string") checkMember(at("value"), action.value);
        if (typeof action.value === "string") checkTokens(at("value"), action.value);
        break;
      }
      case "create_task":
        checkTokens(at("title"), action.title);
        checkTokens(at("description"), action.description);
        if (action.assignee.kind === "user") checkMember(at("assignee.userId"), action.assignee.userId);
        break;
      case "assign":
        if (action.mode === "user") checkMember(at("userId"), action.userId);
        else action.userIds.forEach((id, j) => checkMember(at(`userIds.${j}`), id));
        break;
      case "send_email":
        checkTokens(at("subject"), action.subject);
        checkTokens(at("body"), action.body);
        break;
      case "notify":
        checkTokens(at("message"), action.message);
        if (action.recipient.kind === "user") checkMember(at("recipient.userId"), action.recipient.userId);
        break;
      case "create_record":
        for (const [key, value] of Object.entries(action.fields)) {
          const field = info(key, action.object);
          if (!field) unknownField(at(`fields.${key}`), key, action.object);
          else if (!field.writable && key !== "pipelineId" && key !== "stageId")
            issues.push({ path: at(`fields.${key}`), message: `${key} cannot be set by a workflow` });
          if (typeof value === "string") checkTokens(at(`fields.${key}`), value);
        }
        break;
      case "enroll_in_sequence":
        if (object !== "contact" && object !== "deal")
          issues.push({
            path: at("type"),
            message: "Only contact and deal workflows can enroll (a deal enrolls its contact)",
          });
        break;
      case "wait":
        if (action.mode === "until_field") {
          const field = info(action.field);
          if (!field) unknownField(at("field"), action.field);
          else if (field.kind !== "date")
            issues.push({ path: at("field"), message: `${action.field} is not a date field` });
        }
        break;
      default:
        break;
    }
  });
  return issues;
}
