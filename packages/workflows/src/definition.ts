// What a workflow is: one trigger, a group of conditions, ordered actions. Shared by the API
// (which validates and runs it) and the dashboard's builder (which edits it), so both speak
// exactly one shape. Field names are the record's API field names (`lifecycleStage`,
// `value`, `ownerId`, ...) or `customFields.<key>` for a custom field; the API checks them
// against the object's fields when a workflow is saved.
import { z } from "zod";
import { replyTriggerClasses } from "./fields";
import { conditionOperators, type ConditionOperator, type FieldKind } from "./operators";

/** The records a workflow can watch and act on. */
export const workflowObjects = ["contact", "company", "lead", "deal", "task"] as const;
export type WorkflowObject = (typeof workflowObjects)[number];

const fieldPath = z
  .string()
  .min(1)
  .max(120)
  .regex(
    /^(?:(?:customFields\.)?[A-Za-z][A-Za-z0-9_]*|reply(?:\.[A-Za-z][A-Za-z0-9_]*){1,3})$/,
    "a field name, customFields.<key>, or an event field such as reply.ai.classification",
  );

/** A literal a condition compares with or an action writes. */
export const workflowValueSchema = z.union([
  z.string().max(10_000),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.union([z.string().max(500), z.number()])).max(100),
]);
export type WorkflowValue = z.infer<typeof workflowValueSchema>;

// ---------------------------------------------------------------------------------------
// Triggers

export const workflowTriggerSchema = z.discriminatedUnion("type", [
  /** A record of the object was created (through the API, the dashboard or an import). */
  z.object({ type: z.literal("record.created") }),
  /** Any change to a record of the object. */
  z.object({ type: z.literal("record.updated") }),
  /** One field changed; `from`/`to` narrow it to a particular change (omitted = any value). */
  z.object({
    type: z.literal("field.changed"),
    field: fieldPath,
    from: workflowValueSchema.optional(),
    to: workflowValueSchema.optional(),
  }),
  /** A deal entered a stage (object must be `deal`). */
  z.object({ type: z.literal("stage.entered"), pipelineId: z.string().min(1), stageId: z.string().min(1) }),
  /**
   * A contact replied to an outreach email (object must be `contact`); `classifications`
   * narrows it to replies classified so (omitted = any reply).
   */
  z.object({
    type: z.literal("email.replied"),
    classifications: z.array(z.enum(replyTriggerClasses)).min(1).max(replyTriggerClasses.length).optional(),
  }),
  /**
   * On a schedule (five-field cron, evaluated in `timeZone`). Each run goes over the
   * object's records that match the conditions.
   */
  z.object({
    type: z.literal("schedule"),
    cron: z.string().min(9).max(120),
    timeZone: z.string().min(1).max(64).default("UTC"),
  }),
  /**
   * Relative to a date field of each record: `offsetDays` after it (negative = before),
   * once per record and date value; e.g. 3 days before a deal's expectedCloseDate.
   */
  z.object({
    type: z.literal("date.relative"),
    field: fieldPath,
    offsetDays: z.number().int().min(-365).max(365),
  }),
]);
export type WorkflowTrigger = z.infer<typeof workflowTriggerSchema>;
export type WorkflowTriggerType = WorkflowTrigger["type"];

// ---------------------------------------------------------------------------------------
// Conditions

// The operators per field kind live in ./operators (zod-free, for the dashboard's bundle).
export { conditionOperators, type ConditionOperator, type FieldKind };
export const allConditionOperators = [...new Set(Object.values(conditionOperators).flat())] as [
  ConditionOperator,
  ...ConditionOperator[],
];

export const workflowConditionSchema = z.object({
  field: fieldPath,
  operator: z.enum(allConditionOperators),
  value: workflowValueSchema.optional(),
});
export type WorkflowCondition = z.infer<typeof workflowConditionSchema>;

/** All of the rules, or any of them; an empty group always matches. */
export const workflowConditionGroupSchema = z.object({
  match: z.enum(["all", "any"]).default("all"),
  rules: z.array(workflowConditionSchema).max(50).default([]),
});
export type WorkflowConditionGroup = z.infer<typeof workflowConditionGroupSchema>;

// ---------------------------------------------------------------------------------------
// Actions

/** Who a task, an assignment or a notice goes to. */
const personTarget = z.discriminatedUnion("kind", [
  /** The record's owner (assignee for a task). */
  z.object({ kind: z.literal("owner") }),
  z.object({ kind: z.literal("user"), userId: z.string().min(1) }),
]);
export type WorkflowPersonTarget = z.infer<typeof personTarget>;

const durationSchema = z.object({
  amount: z.number().int().min(1).max(10_000),
  unit: z.enum(["minutes", "hours", "days"]),
});
export type WorkflowDuration = z.infer<typeof durationSchema>;

export const workflowActionSchema = z.discriminatedUnion("type", [
  /** Writes one field of the triggering record. Text values may use {{record.<field>}} tokens. */
  z.object({ type: z.literal("update_field"), field: fieldPath, value: workflowValueSchema }),
  /** A task linked to the triggering record. */
  z.object({
    type: z.literal("create_task"),
    title: z.string().min(1).max(500),
    description: z.string().max(10_000).optional(),
    dueInDays: z.number().int().min(0).max(3650).default(0),
    priority: z.enum(["low", "normal", "high", "urgent"]).default("normal"),
    assignee: personTarget.default({ kind: "owner" }),
  }),
  /** Sets the record's owner: one member, or the next of `userIds` in turn (round-robin). */
  z.discriminatedUnion("mode", [
    z.object({ type: z.literal("assign"), mode: z.literal("user"), userId: z.string().min(1) }),
    z.object({
      type: z.literal("assign"),
      mode: z.literal("round_robin"),
      userIds: z.array(z.string().min(1)).min(1).max(100),
    }),
  ]),
  z.object({ type: z.literal("add_tag"), tag: z.string().min(1).max(64) }),
  z.object({ type: z.literal("remove_tag"), tag: z.string().min(1).max(64) }),
  /**
   * An email through the tenant's mail transport (the dev outbox locally). `to`: the
   * record's primary email (contacts; a deal's or lead's contact), its owner, or an address.
   * Subject and body may use {{record.<field>}} tokens.
   */
  z.object({
    type: z.literal("send_email"),
    to: z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("record") }),
      z.object({ kind: z.literal("owner") }),
      z.object({ kind: z.literal("address"), address: z.email() }),
    ]),
    subject: z.string().min(1).max(500),
    body: z.string().min(1).max(50_000),
  }),
  /** An in-app notification (and optionally an email) to a member. */
  z.object({
    type: z.literal("notify"),
    recipient: personTarget,
    message: z.string().min(1).max(2_000),
    email: z.boolean().default(false),
  }),
  /** POSTs the record as JSON, signed like webhooks (Standard Webhooks) with the workflow's secret. */
  z.object({ type: z.literal("call_webhook"), url: z.url().max(2_000) }),
  /**
   * Creates a record of `object` with `fields` (API field names; values may use
   * {{record.<field>}} tokens), linked to the triggering record where the object allows.
   */
  z.object({
    type: z.literal("create_record"),
    object: z.enum(workflowObjects),
    fields: z.record(z.string(), workflowValueSchema),
  }),
  /** Enrolls the contact (a deal's contact) in a sequence; a contact already in it is left as is. */
  z.object({ type: z.literal("enroll_in_sequence"), sequenceId: z.string().min(1).max(64) }),
  /** Pauses the run: for a duration, or until a date field of the record (plus an offset). */
  z.discriminatedUnion("mode", [
    z.object({ type: z.literal("wait"), mode: z.literal("duration"), duration: durationSchema }),
    z.object({
      type: z.literal("wait"),
      mode: z.literal("until_field"),
      field: fieldPath,
      offsetDays: z.number().int().min(-365).max(365).default(0),
    }),
  ]),
]);
export type WorkflowAction = z.infer<typeof workflowActionSchema>;
export type WorkflowActionType = WorkflowAction["type"];

/** The versioned part of a workflow: what a new version is made of. */
export const workflowDefinitionSchema = z.object({
  object: z.enum(workflowObjects),
  trigger: workflowTriggerSchema,
  conditions: workflowConditionGroupSchema.default({ match: "all", rules: [] }),
  actions: z.array(workflowActionSchema).min(1).max(50),
});
export type WorkflowDefinition = z.infer<typeof workflowDefinitionSchema>;

/** What a run and each of its steps can be in. */
export const executionStatuses = ["running", "waiting", "succeeded", "failed", "cancelled", "skipped"] as const;
export type ExecutionStatus = (typeof executionStatuses)[number];
/** `running`: claimed by a runner and not finished yet (a step lasts at most seconds). */
export const stepStatuses = ["running", "succeeded", "failed", "waiting", "skipped"] as const;
export type StepStatus = (typeof stepStatuses)[number];
