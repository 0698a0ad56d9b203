import { z } from "@hono/zod-openapi";
import { recordTypes, taskPriorities, taskStatuses } from "@crm/db";
import { bulkRequestSchema } from "../../lib/bulk";
import { RecordListQuerySchema } from "../../lib/list-query";
import { pageOf } from "../../lib/pagination";

const id = z.string().min(1).max(64);
const isoDateTime = z.iso.datetime({ offset: true });

export const TaskSchema = z
  .object({
    id: z.string().openapi({ example: "task_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    title: z.string().openapi({ example: "Send the proposal" }),
    description: z.string().nullable(),
    dueAt: z.string().nullable().openapi({ example: "2026-11-20T17:00:00.000Z" }),
    priority: z.enum(taskPriorities),
    status: z.enum(taskStatuses),
    assigneeId: z.string().nullable().openapi({ description: "The member doing it" }),
    recordType: z.enum(recordTypes).nullable().openapi({ description: "The record it is about" }),
    recordId: z.string().nullable(),
    completedAt: z.string().nullable().openapi({ description: "When it was marked done" }),
    ownerId: z.string().nullable(),
    tags: z.array(z.string()),
    customFields: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Task");

export const TaskPageSchema = pageOf(TaskSchema, "TaskPage");

const taskFields = {
  title: z.string().trim().min(1).max(300).openapi({ example: "Send the proposal" }),
  description: z.string().max(20_000).nullable().optional(),
  dueAt: isoDateTime.nullable().optional().openapi({ example: "2026-11-20T17:00:00Z" }),
  priority: z.enum(taskPriorities).optional().openapi({ description: "Default normal" }),
  status: z.enum(taskStatuses).optional().openapi({ description: "Default open; done stamps completedAt" }),
  assigneeId: id.nullable().optional().openapi({ description: "A member's user id" }),
  ownerId: id.nullable().optional().openapi({ description: "A member's user id (default: the creator)" }),
  recordType: z
    .enum(recordTypes)
    .nullable()
    .optional()
    .openapi({ description: "With recordId: the record the task is about" }),
  recordId: id.nullable().optional().openapi({ description: "A record of recordType in this organization" }),
  tags: z.array(z.string().trim().max(50)).max(50).optional(),
  customFields: z
    .record(z.string(), z.unknown())
    .optional()
    .openapi({ description: "Values for the tenant's task custom fields, by key; null clears one" }),
};

export const CreateTaskBodySchema = z.strictObject(taskFields).openapi("CreateTaskRequest");
export const UpdateTaskBodySchema = z
  .strictObject({ ...taskFields, title: taskFields.title.optional() })
  .openapi("UpdateTaskRequest");

const { title: _title, description: _description, tags: _tags, ...bulkFields } = taskFields;
export const TaskBulkBodySchema = bulkRequestSchema(
  z.strictObject(bulkFields).openapi("TaskBulkChanges"),
  "TaskBulkRequest",
)
  .extend({
    assigneeId: id.nullable().optional().openapi({
      description: "For `assign`: the new assignee's user id, or null to unassign (`ownerId` sets the owner instead)",
    }),
  })
  .openapi("TaskBulkRequest");

const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).max(10)]);

export const TaskListQuerySchema = RecordListQuerySchema.extend({
  status: oneOrMany(z.enum(taskStatuses))
    .optional()
    .openapi({ param: { name: "status", in: "query" }, description: "Repeat for any of several" }),
  priority: oneOrMany(z.enum(taskPriorities))
    .optional()
    .openapi({ param: { name: "priority", in: "query" }, description: "Repeat for any of several" }),
  assigneeId: id.optional().openapi({ param: { name: "assigneeId", in: "query" }, description: "A user id, or `me`" }),
  recordType: z
    .enum(recordTypes)
    .optional()
    .openapi({ param: { name: "recordType", in: "query" } }),
  recordId: id.optional().openapi({ param: { name: "recordId", in: "query" }, description: "Tasks about this record" }),
  view: z
    .enum(["overdue", "mine"])
    .optional()
    .openapi({
      param: { name: "view", in: "query" },
      description:
        "`overdue`: due before now and neither done nor cancelled; `mine`: assigned to the caller (people only)",
    }),
  dueFrom: isoDateTime
    .optional()
    .openapi({ param: { name: "dueFrom", in: "query" }, description: "Due at or after this time" }),
  dueTo: isoDateTime.optional().openapi({ param: { name: "dueTo", in: "query" }, description: "Due before this time" }),
});

export const taskSortDescription =
  "Sort by `createdAt` (default `-createdAt`), `updatedAt`, `dueAt` (tasks without a due date last when ascending) or " +
  "`priority` (low < normal < high < urgent).";

/** Body dates arrive as ISO strings; services take Dates. */
export function taskDates<T extends { dueAt?: string | null | undefined }>(body: T) {
  const { dueAt, ...rest } = body;
  return { ...rest, ...(dueAt === undefined ? {} : { dueAt: dueAt === null ? null : new Date(dueAt) }) };
}
