import {
  customFieldDefinitions,
  type CustomFieldValues,
  memberships,
  newId,
  type RecordType,
  tasks,
  taskPriorities,
  taskStatuses,
} from "@crm/db";
import { ApiError } from "@crm/errors";
import { normalizeTags } from "@crm/records";
import type { BatchItem } from "drizzle-orm/batch";
import { eq } from "drizzle-orm";
import { recordChangeQueries } from "../events/record";
import type { TenantContext } from "../context";
import { checkedCustomFields, shownCustomFields } from "../custom-fields/values";
import { searchIndexQueriesFor } from "../notes/search-text";
import { customFieldDefinitionsFor } from "../records/custom-fields";
import { assertOwnerIsMember, defaultOwnerId } from "../records/owners";
import { tagQueries, untagQueries } from "../records/tags";
import { recordAttachmentDeleteQueries } from "../timeline/attachments";
import { canSeeParent, type ParentRows, requireLinkableParent } from "../timeline/parent-record";

type TaskRow = ParentRows["task"];

export type TaskStatus = (typeof taskStatuses)[number];
export type TaskPriority = (typeof taskPriorities)[number];
type Definition = typeof customFieldDefinitions.$inferSelect;

export function publicTask(row: TaskRow, definitions: Pick<Definition, "key">[]) {
  return {
    id: row.id,
    title: row.title,
    description: row.description ?? null,
    dueAt: row.dueAt?.toISOString() ?? null,
    priority: row.priority,
    status: row.status,
    assigneeId: row.assigneeId ?? null,
    recordType: row.recordType ?? null,
    recordId: row.recordId ?? null,
    completedAt: row.completedAt?.toISOString() ?? null,
    ownerId: row.ownerId ?? null,
    tags: row.tags,
    customFields: shownCustomFields(row.customFields, definitions),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type PublicTask = ReturnType<typeof publicTask>;

/** What the audit log keeps of a task: every field, custom fields as stored. */
const snapshot = (row: TaskRow) =>
  publicTask(
    row,
    Object.keys(row.customFields).map((key) => ({ key })),
  );

export interface TaskInput {
  title: string;
  description?: string | null | undefined;
  dueAt?: Date | null | undefined;
  priority?: TaskPriority | undefined;
  status?: TaskStatus | undefined;
  assigneeId?: string | null | undefined;
  ownerId?: string | null | undefined;
  recordType?: RecordType | null | undefined;
  recordId?: string | null | undefined;
  tags?: string[] | undefined;
  customFields?: Record<string, unknown> | undefined;
}
export type TaskChanges = Partial<TaskInput>;

/** An assignee must be a person in the tenant: 422 at `<prefix>.assigneeId` otherwise. */
export async function assertAssigneeIsMember(ctx: TenantContext, assigneeId: string, prefix = "body"): Promise<void> {
  const membership = await ctx.db.findFirst(memberships, eq(memberships.userId, assigneeId));
  if (!membership) {
    throw new ApiError("VALIDATION_FAILED", "The assignee is not a member of this organization", {
      errors: [{ path: `${prefix}.assigneeId`, message: "No member of this organization has this user id" }],
    });
  }
}

/**
 * Checks everything in `changes` that needs the database (members, the linked record) once,
 * so a bulk update validates before touching any row.
 */
export async function checkTaskReferences(ctx: TenantContext, changes: TaskChanges, prefix = "body"): Promise<void> {
  if (changes.assigneeId) await assertAssigneeIsMember(ctx, changes.assigneeId, prefix);
  if (changes.ownerId) await assertOwnerIsMember(ctx, changes.ownerId, `${prefix}.ownerId`);
  if (changes.recordType !== undefined || changes.recordId !== undefined) {
    const linked = changes.recordType != null;
    if (linked !== (changes.recordId != null)) {
      throw new ApiError("VALIDATION_FAILED", "recordType and recordId go together", {
        errors: [
          {
            path: `${prefix}.${linked ? "recordId" : "recordType"}`,
            message: "Give recordType and recordId together, or both null to unlink",
          },
        ],
      });
    }
    if (changes.recordType && changes.recordId)
      await requireLinkableParent(ctx, changes.recordType, changes.recordId, prefix);
  }
}

/** The row after `changes` (already checked): done sets completedAt, leaving done clears it. */
export function applyTaskChanges(
  row: TaskRow,
  changes: TaskChanges,
  customFields: CustomFieldValues,
  now: Date,
): TaskRow {
  const status = changes.status ?? row.status;
  const completedAt = status === "done" ? (row.status === "done" ? row.completedAt : now) : null;
  const pick = <K extends keyof TaskChanges & keyof TaskRow>(key: K) =>
    (changes[key] !== undefined ? changes[key] : row[key]) as TaskRow[K];
  return {
    ...row,
    title: changes.title?.trim() ?? row.title,
    description: pick("description"),
    dueAt: pick("dueAt"),
    priority: pick("priority"),
    status,
    completedAt,
    assigneeId: pick("assigneeId"),
    ownerId: pick("ownerId"),
    recordType: pick("recordType"),
    recordId: pick("recordId"),
    tags: changes.tags ? normalizeTags(changes.tags) : row.tags,
    customFields,
    updatedAt: now,
  };
}

/** The statements of one task's update: the row, its tag rows and search entry when they changed, the audit entry. */
export async function taskUpdateQueries(
  ctx: TenantContext,
  before: TaskRow,
  after: TaskRow,
): Promise<BatchItem<"sqlite">[]> {
  const { id, tenantId: _tenantId, createdAt: _createdAt, ...set } = after;
  const queries: BatchItem<"sqlite">[] = [ctx.db.updateQuery(tasks, set, eq(tasks.id, id))];
  if (JSON.stringify(before.tags) !== JSON.stringify(after.tags))
    queries.push(...tagQueries(ctx, "task", id, after.tags));
  if (before.title !== after.title || before.description !== after.description) {
    queries.push(...(await searchIndexQueriesFor(ctx, "task", id, after)));
  }
  queries.push(
    ...recordChangeQueries(ctx, [
      {
        action: "update",
        entity: "task",
        entityId: id,
        before: snapshot(before),
        after: snapshot(after),
      },
    ]),
  );
  return queries;
}

export function taskDeleteQueries(ctx: TenantContext, row: TaskRow): BatchItem<"sqlite">[] {
  return [
    ctx.db.deleteQuery(tasks, eq(tasks.id, row.id)),
    ...untagQueries(ctx, row.id),
    ...ctx.db.unindexForSearchQueries(row.id),
    ...recordAttachmentDeleteQueries(ctx, "task", row.id),
    ...recordChangeQueries(ctx, [{ action: "delete", entity: "task", entityId: row.id, before: snapshot(row) }]),
  ];
}

/** A new task's row, its references and custom fields checked (for createTask and imports). */
export async function newTaskRow(ctx: TenantContext, input: TaskInput, prefix = "body"): Promise<TaskRow> {
  await checkTaskReferences(ctx, input, prefix);
  const definitions = await customFieldDefinitionsFor(ctx, "task");
  const customFields = checkedCustomFields(definitions, input.customFields, {
    partial: false,
    pathPrefix: `${prefix}.customFields`,
  });
  const now = new Date();
  const status = input.status ?? "open";
  return {
    id: newId("task"),
    tenantId: ctx.tenant.id,
    title: input.title.trim(),
    description: input.description ?? null,
    dueAt: input.dueAt ?? null,
    priority: input.priority ?? "normal",
    status,
    assigneeId: input.assigneeId ?? null,
    recordType: input.recordType ?? null,
    recordId: input.recordId ?? null,
    completedAt: status === "done" ? now : null,
    ownerId: input.ownerId !== undefined ? input.ownerId : defaultOwnerId(ctx),
    tags: normalizeTags(input.tags ?? []),
    customFields,
    createdAt: now,
    updatedAt: now,
  };
}

/** The statements that store a new task with its tags, search entry and audit entry. */
export async function taskCreateQueries(ctx: TenantContext, row: TaskRow): Promise<BatchItem<"sqlite">[]> {
  const { tenantId: _tenantId, ...values } = row;
  return [
    ctx.db.insertQuery(tasks, values),
    ...tagQueries(ctx, "task", row.id, row.tags, { isNew: true }),
    // A new task has no notes yet: its search text is its own.
    ...(await searchIndexQueriesFor(ctx, "task", row.id, row, [])),
    ...recordChangeQueries(ctx, [{ action: "create", entity: "task", entityId: row.id, after: snapshot(row) }]),
  ];
}

export async function createTask(ctx: TenantContext, input: TaskInput) {
  const row = await newTaskRow(ctx, input);
  await ctx.db.batch((await taskCreateQueries(ctx, row)) as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return publicTask(row, await customFieldDefinitionsFor(ctx, "task"));
}

/** A task the actor may see (record visibility: owner or assignee), else 404. */
export async function findVisibleTask(ctx: TenantContext, id: string): Promise<TaskRow> {
  const row = await ctx.db.findFirst(tasks, eq(tasks.id, id));
  if (!row || !(await canSeeParent(ctx, "task", row))) throw new ApiError("NOT_FOUND", `Task ${id} was not found`);
  return row;
}

export async function getTask(ctx: TenantContext, id: string) {
  const row = await findVisibleTask(ctx, id);
  return publicTask(row, await customFieldDefinitionsFor(ctx, "task"));
}

export async function updateTask(ctx: TenantContext, id: string, changes: TaskChanges) {
  const before = await findVisibleTask(ctx, id);
  await checkTaskReferences(ctx, changes);
  const definitions = await customFieldDefinitionsFor(ctx, "task");
  const customFields = checkedCustomFields(definitions, changes.customFields, {
    partial: true,
    existing: before.customFields,
  });
  const after = applyTaskChanges(before, changes, customFields, new Date());
  const queries = await taskUpdateQueries(ctx, before, after);
  await ctx.db.batch(queries as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return publicTask(after, definitions);
}

/** Marks a task done (completedAt now); completing a done task changes nothing. */
export async function completeTask(ctx: TenantContext, id: string) {
  const before = await findVisibleTask(ctx, id);
  const definitions = await customFieldDefinitionsFor(ctx, "task");
  if (before.status === "done") return publicTask(before, definitions);
  const after = applyTaskChanges(before, { status: "done" }, before.customFields, new Date());
  const queries = await taskUpdateQueries(ctx, before, after);
  await ctx.db.batch(queries as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return publicTask(after, definitions);
}

export async function deleteTask(ctx: TenantContext, id: string) {
  const row = await findVisibleTask(ctx, id);
  await ctx.db.batch(taskDeleteQueries(ctx, row) as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
}
