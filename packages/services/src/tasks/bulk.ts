import { tasks } from "@crm/db";
import { ApiError } from "@crm/errors";
import { normalizeTags } from "@crm/records";
import type { BatchItem } from "drizzle-orm/batch";
import { eq, or } from "drizzle-orm";
import type { TenantContext } from "../context";
import { checkedCustomFields } from "../custom-fields/values";
import { loadBulkTargets } from "../records/bulk";
import { customFieldDefinitionsFor } from "../records/custom-fields";
import { visibilityCondition } from "../records/visibility";
import { applyTaskChanges, checkTaskReferences, type TaskChanges, taskDeleteQueries, taskUpdateQueries } from "./tasks";

export interface TaskBulkInput {
  action: "update" | "delete" | "assign" | "tag" | "untag";
  ids: string[];
  /** update: the fields to set on every task (not title, description or tags). */
  changes?: Omit<TaskChanges, "title" | "description" | "tags"> | undefined;
  /** assign: the new assignee, or null to unassign. */
  assigneeId?: string | null | undefined;
  /** assign: the new owner (as on every other object), or null. */
  ownerId?: string | null | undefined;
  /** tag / untag */
  tags?: string[] | undefined;
}

const missing = (path: string, message: string) =>
  new ApiError("VALIDATION_FAILED", message, { errors: [{ path, message }] });

/** What the action sets on each task, checked once before any row is touched. */
async function changesFor(ctx: TenantContext, input: TaskBulkInput): Promise<TaskChanges> {
  switch (input.action) {
    case "update":
      if (!input.changes || Object.keys(input.changes).length === 0)
        throw missing("body.changes", "update needs the changes to make");
      await checkTaskReferences(ctx, input.changes, "body.changes");
      return input.changes;
    case "assign": {
      if (input.assigneeId === undefined && input.ownerId === undefined) {
        throw missing("body.assigneeId", "assign needs assigneeId (or ownerId); null unassigns");
      }
      const assignment: TaskChanges = {};
      if (input.assigneeId !== undefined) assignment.assigneeId = input.assigneeId;
      if (input.ownerId !== undefined) assignment.ownerId = input.ownerId;
      await checkTaskReferences(ctx, assignment);
      return assignment;
    }
    case "tag":
    case "untag":
      if (!input.tags || normalizeTags(input.tags).length === 0)
        throw missing("body.tags", `${input.action} needs at least one tag`);
      return {};
    default:
      return {};
  }
}

function tagsAfter(current: string[], input: TaskBulkInput): string[] | undefined {
  const given = normalizeTags(input.tags ?? []);
  if (input.action === "tag") return normalizeTags([...current, ...given]);
  if (input.action === "untag") return current.filter((t) => !given.includes(t));
  return undefined;
}

/**
 * One action on up to 1,000 tasks in one D1 batch: every task changes or none does. An
 * unknown, foreign, hidden or repeated id is a 422 naming it (`body.ids.<index>`).
 */
export async function bulkTasks(ctx: TenantContext, input: TaskBulkInput) {
  const changes = await changesFor(ctx, input);
  const own = await visibilityCondition(ctx, tasks.ownerId);
  const visible = own && ctx.actor.type === "user" ? or(own, eq(tasks.assigneeId, ctx.actor.id)) : own;
  const rows = await loadBulkTargets(ctx.db, tasks, tasks.id, input.ids, { entity: "task", visible });
  const definitions = input.action === "update" ? await customFieldDefinitionsFor(ctx, "task") : [];
  const now = new Date();
  const queries: BatchItem<"sqlite">[] = [];
  for (const row of rows) {
    if (input.action === "delete") {
      queries.push(...taskDeleteQueries(ctx, row));
      continue;
    }
    const customFields = changes.customFields
      ? checkedCustomFields(definitions, changes.customFields, {
          partial: true,
          existing: row.customFields,
          pathPrefix: "body.changes.customFields",
        })
      : row.customFields;
    const tags = tagsAfter(row.tags, input);
    const after = applyTaskChanges(row, tags ? { ...changes, tags } : changes, customFields, now);
    queries.push(...(await taskUpdateQueries(ctx, row, after)));
  }
  await ctx.db.batch(queries as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  const status = input.action === "delete" ? ("deleted" as const) : ("updated" as const);
  return { results: rows.map((row) => ({ id: row.id, status })) };
}
