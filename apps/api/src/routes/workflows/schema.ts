import { z } from "@hono/zod-openapi";
import {
  executionStatuses,
  stepStatuses,
  workflowActionSchema,
  workflowConditionGroupSchema,
  workflowObjects,
  workflowTriggerSchema,
} from "@crm/workflows";
import { PageQuerySchema, pageOf } from "../../lib/pagination";

const idPattern = /^[a-z]+_[0-9a-z]+$/;
const idParam = (name: string, example: string) =>
  z
    .string()
    .min(1)
    .max(64)
    .regex(idPattern, "Not an id")
    .openapi({ param: { name, in: "path" }, example });

export const ExecutionParamsSchema = z.object({
  id: idParam("id", "wf_01jc9x7d1q8m3v5n2k4p6r8t0w"),
  executionId: idParam("executionId", "wfx_01jc9x7d1q8m3v5n2k4p6r8t0w"),
});

const ObjectSchema = z.enum(workflowObjects).openapi({ example: "deal" });
const TriggerSchema = workflowTriggerSchema.openapi("WorkflowTrigger", {
  description:
    "What starts a run: `record.created`, `record.updated`, `field.changed` (optional from/to), " +
    "`stage.entered` (deals), `email.replied` (contacts; optional `classifications`), `schedule` (five-field cron in a time zone; each tick runs on the records " +
    "matching the conditions) or `date.relative` (offsetDays after a date field, once per record and date)",
});
const ConditionsSchema = workflowConditionGroupSchema.openapi("WorkflowConditions", {
  description: "All (or any) of the rules; operators must fit the field's type. Empty: always.",
});
const ActionsSchema = z
  .array(workflowActionSchema)
  .min(1)
  .max(50)
  .openapi({ description: "Run in order. Texts may use `{{record.<field>}}` tokens, with `|fallback`." });

const definitionFields = {
  object: ObjectSchema,
  trigger: TriggerSchema,
  conditions: ConditionsSchema,
  actions: ActionsSchema,
};

export const WorkflowSchema = z
  .object({
    id: z.string().openapi({ example: "wf_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    name: z.string().openapi({ example: "Follow up new deals" }),
    description: z.string().nullable(),
    active: z.boolean(),
    version: z.number().int().openapi({ description: "The current (latest) version, from 1" }),
    ...definitionFields,
    signingSecret: z.string().openapi({
      description: "Signs call_webhook requests per Standard Webhooks",
      example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    }),
    runCount: z.number().int().openapi({ description: "Runs started (skipped ones aside)" }),
    failedCount: z.number().int(),
    lastRunAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Workflow");

export const WorkflowPageSchema = pageOf(WorkflowSchema, "WorkflowPage");

const name = z.string().trim().min(1, "Must not be empty").max(200);
const description = z.string().trim().max(2000).nullable().optional();

export const CreateWorkflowBodySchema = z
  .strictObject({
    name,
    description,
    active: z.boolean().optional().openapi({ description: "Default false" }),
    object: ObjectSchema,
    trigger: TriggerSchema,
    conditions: ConditionsSchema.optional(),
    actions: ActionsSchema,
  })
  .openapi("CreateWorkflowRequest");

export const UpdateWorkflowBodySchema = z
  .strictObject({
    name: name.optional(),
    description,
    object: ObjectSchema.optional(),
    trigger: TriggerSchema.optional(),
    conditions: ConditionsSchema.optional(),
    actions: ActionsSchema.optional(),
  })
  .openapi("UpdateWorkflowRequest");

export const WorkflowListQuerySchema = PageQuerySchema.extend({
  q: z
    .string()
    .max(200)
    .optional()
    .openapi({ param: { name: "q", in: "query" }, description: "Part of the name" }),
  active: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional()
    .openapi({ param: { name: "active", in: "query" } }),
  object: ObjectSchema.optional().openapi({ param: { name: "object", in: "query" } }),
});

export const WorkflowVersionSchema = z
  .object({
    version: z.number().int(),
    ...definitionFields,
    createdAt: z.string(),
    createdBy: z.string(),
  })
  .openapi("WorkflowVersion");

export const WorkflowVersionListSchema = z
  .object({ data: z.array(WorkflowVersionSchema) })
  .openapi("WorkflowVersionList");

export const StepSchema = z
  .object({
    index: z.number().int().openapi({ description: "The action's position, from 0" }),
    actionType: z.string().openapi({ example: "create_task" }),
    status: z.enum(stepStatuses),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    output: z.record(z.string(), z.unknown()).nullable(),
    error: z.string().nullable(),
  })
  .openapi("WorkflowStep");

export const ExecutionSchema = z
  .object({
    id: z.string().openapi({ example: "wfx_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    workflowId: z.string(),
    version: z.number().int().openapi({ description: "The version the run started on (and finishes on)" }),
    status: z.enum(executionStatuses),
    cause: z.object({
      kind: z.enum(["event", "manual", "schedule", "date"]),
      eventId: z.string().nullable(),
      eventType: z.string().nullable(),
    }),
    recordType: z.string(),
    recordId: z.string().nullable(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    resumeAt: z.string().nullable().openapi({ description: "When a waiting run continues" }),
    error: z.string().nullable().openapi({ description: 'Why it failed or was skipped ("loop protection: …")' }),
  })
  .openapi("WorkflowExecution");

export const ExecutionWithStepsSchema = ExecutionSchema.extend({ steps: z.array(StepSchema) }).openapi(
  "WorkflowExecutionWithSteps",
);

export const ExecutionPageSchema = pageOf(ExecutionSchema, "WorkflowExecutionPage");

export const ExecutionListQuerySchema = PageQuerySchema.extend({
  status: z
    .enum(executionStatuses)
    .optional()
    .openapi({ param: { name: "status", in: "query" } }),
});

export const RunWorkflowBodySchema = z
  .strictObject({
    recordId: z.string().min(1).max(64).optional().openapi({
      description: "The record to run on (a record of the workflow's object); optional for schedule workflows",
    }),
  })
  .openapi("RunWorkflowRequest");
