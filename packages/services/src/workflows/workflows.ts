import { newId, workflowExecutions, workflowVersions, workflows } from "@crm/db";
import { ApiError } from "@crm/errors";
import {
  eventTriggerTypes,
  nextCronRun,
  type WorkflowDefinition,
  type WorkflowObject,
  workflowDefinitionSchema,
} from "@crm/workflows";
import type { BatchItem } from "drizzle-orm/batch";
import { and, desc, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import { auditQuery } from "../audit";
import type { TenantContext } from "../context";
import { newWebhookSecret } from "../webhooks/signing";
import type { UrlPolicy } from "../webhooks/url-policy";
import { checkDefinition } from "./definitions";
import { containsText } from "../lists";

export type WorkflowRow = typeof workflows.$inferSelect;

interface RunStats {
  runCount: number;
  failedCount: number;
  lastRunAt: Date | null;
}

/** The stored definition, read back through the schema (defaults filled in). */
export function definitionOf(row: { definition: unknown }): WorkflowDefinition {
  return workflowDefinitionSchema.parse(row.definition);
}

export function publicWorkflow(row: WorkflowRow, stats: RunStats) {
  const definition = definitionOf(row);
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    active: row.active,
    version: row.version,
    object: definition.object,
    trigger: definition.trigger,
    conditions: definition.conditions,
    actions: definition.actions,
    signingSecret: row.signingSecret,
    runCount: stats.runCount,
    failedCount: stats.failedCount,
    lastRunAt: stats.lastRunAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type PublicWorkflow = ReturnType<typeof publicWorkflow>;

/** What the audit log keeps of a workflow: never its signing secret. */
function auditedWorkflow(row: WorkflowRow) {
  const {
    signingSecret: _secret,
    runCount: _r,
    failedCount: _f,
    lastRunAt: _l,
    ...rest
  } = publicWorkflow(row, {
    runCount: 0,
    failedCount: 0,
    lastRunAt: null,
  });
  return rest;
}

/** Runs (skipped ones aside), failures and the last start of each workflow, in one grouped read. */
async function statsFor(ctx: TenantContext, ids: string[]): Promise<Map<string, RunStats>> {
  const stats = new Map<string, RunStats>();
  if (ids.length === 0) return stats;
  const rows = await ctx.db.aggregateQuery(
    workflowExecutions,
    {
      workflowId: workflowExecutions.workflowId,
      runs: sql<number>`sum(case when ${workflowExecutions.status} != 'skipped' then 1 else 0 end)`,
      failed: sql<number>`sum(case when ${workflowExecutions.status} = 'failed' then 1 else 0 end)`,
      last: sql<
        number | null
      >`max(case when ${workflowExecutions.status} != 'skipped' then ${workflowExecutions.startedAt} end)`,
    },
    { where: inArray(workflowExecutions.workflowId, ids), groupBy: [workflowExecutions.workflowId] },
  );
  for (const row of rows) {
    stats.set(row.workflowId, {
      runCount: Number(row.runs ?? 0),
      failedCount: Number(row.failed ?? 0),
      lastRunAt: row.last === null ? null : new Date(Number(row.last)),
    });
  }
  return stats;
}

const noRuns: RunStats = { runCount: 0, failedCount: 0, lastRunAt: null };

async function withStats(ctx: TenantContext, row: WorkflowRow) {
  return publicWorkflow(row, (await statsFor(ctx, [row.id])).get(row.id) ?? noRuns);
}

/** The workflow if it exists (and is not deleted) in the tenant; 404 otherwise. */
export async function findWorkflow(ctx: TenantContext, id: string): Promise<WorkflowRow> {
  const row = await ctx.db.findFirst(workflows, and(eq(workflows.id, id), isNull(workflows.deletedAt))!);
  if (!row) throw new ApiError("NOT_FOUND", `Workflow ${id} was not found`);
  return row;
}

export async function getWorkflow(ctx: TenantContext, id: string) {
  return withStats(ctx, await findWorkflow(ctx, id));
}

export interface WorkflowListFilters {
  limit: number;
  cursor?: string | undefined;
  q?: string | undefined;
  active?: boolean | undefined;
  object?: WorkflowObject | undefined;
}

export async function listWorkflows(ctx: TenantContext, filters: WorkflowListFilters) {
  const q = filters.q?.trim();
  const rows = await ctx.db.findMany(workflows, {
    where: and(
      isNull(workflows.deletedAt),
      filters.cursor ? lt(workflows.id, filters.cursor) : undefined,
      filters.active === undefined ? undefined : eq(workflows.active, filters.active),
      filters.object ? eq(workflows.object, filters.object) : undefined,
      q ? containsText(workflows.name, q) : undefined,
    ),
    orderBy: desc(workflows.id),
    limit: filters.limit + 1,
  });
  const page = rows.slice(0, filters.limit);
  const stats = await statsFor(
    ctx,
    page.map((r) => r.id),
  );
  return {
    data: page.map((row) => publicWorkflow(row, stats.get(row.id) ?? noRuns)),
    nextCursor: rows.length > filters.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/** Time-trigger bookkeeping for a definition that is (re)activated or changed at `now`. */
function timing(definition: WorkflowDefinition, active: boolean, now: Date) {
  const trigger = definition.trigger;
  return {
    nextRunAt: active && trigger.type === "schedule" ? nextCronRun(trigger.cron, trigger.timeZone, now) : null,
    // date.relative: records due from the activation on (no back-filling of past dates).
    dateCheckedAt: active && trigger.type === "date.relative" ? now : null,
  };
}

export interface CreateWorkflowInput extends Omit<WorkflowDefinition, "conditions"> {
  name: string;
  description?: string | null | undefined;
  active?: boolean | undefined;
  conditions?: WorkflowDefinition["conditions"] | undefined;
}

export async function createWorkflow(ctx: TenantContext, input: CreateWorkflowInput, policy: UrlPolicy) {
  const definition = workflowDefinitionSchema.parse({
    object: input.object,
    trigger: input.trigger,
    conditions: input.conditions,
    actions: input.actions,
  });
  await checkDefinition(ctx, definition, policy);
  const now = new Date();
  const active = input.active ?? false;
  const row: WorkflowRow = {
    id: newId("workflow"),
    tenantId: ctx.tenant.id,
    name: input.name.trim(),
    description: input.description?.trim() || null,
    active,
    activatedAt: active ? now : null,
    version: 1,
    object: definition.object,
    triggerType: definition.trigger.type,
    definition,
    signingSecret: newWebhookSecret(),
    ...timing(definition, active, now),
    createdBy: ctx.actor.id,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
  const { tenantId: _tenantId, ...values } = row;
  await ctx.db.batch([
    ctx.db.insertQuery(workflows, values),
    ctx.db.insertQuery(workflowVersions, {
      id: newId("workflowVersion"),
      workflowId: row.id,
      version: 1,
      definition,
      createdBy: ctx.actor.id,
      createdAt: now,
    }),
    auditQuery(ctx, { action: "create", entity: "workflow", entityId: row.id, after: auditedWorkflow(row) }),
  ]);
  forgetActiveWorkflows(ctx.tenant.id);
  return publicWorkflow(row, noRuns);
}

export interface UpdateWorkflowInput {
  name?: string | undefined;
  description?: string | null | undefined;
  object?: WorkflowObject | undefined;
  trigger?: WorkflowDefinition["trigger"] | undefined;
  conditions?: WorkflowDefinition["conditions"] | undefined;
  actions?: WorkflowDefinition["actions"] | undefined;
}

/** Name and description change in place; any change to the definition saves a new version. */
export async function updateWorkflow(ctx: TenantContext, id: string, input: UpdateWorkflowInput, policy: UrlPolicy) {
  const before = await findWorkflow(ctx, id);
  const current = definitionOf(before);
  const definition = workflowDefinitionSchema.parse({
    object: input.object ?? current.object,
    trigger: input.trigger ?? current.trigger,
    conditions: input.conditions ?? current.conditions,
    actions: input.actions ?? current.actions,
  });
  const newVersion = JSON.stringify(definition) !== JSON.stringify(current);
  if (newVersion) await checkDefinition(ctx, definition, policy);
  const now = new Date();
  const after: WorkflowRow = {
    ...before,
    name: input.name?.trim() ?? before.name,
    description: input.description === undefined ? before.description : input.description?.trim() || null,
    ...(newVersion
      ? {
          version: before.version + 1,
          object: definition.object,
          triggerType: definition.trigger.type,
          definition,
          ...(JSON.stringify(definition.trigger) === JSON.stringify(current.trigger)
            ? {}
            : timing(definition, before.active, now)),
        }
      : {}),
    updatedAt: now,
  };
  if (!newVersion && after.name === before.name && after.description === before.description) {
    return withStats(ctx, before);
  }
  const queries: BatchItem<"sqlite">[] = [
    ctx.db.updateQuery(
      workflows,
      {
        name: after.name,
        description: after.description,
        version: after.version,
        object: after.object,
        triggerType: after.triggerType,
        definition: after.definition,
        nextRunAt: after.nextRunAt,
        dateCheckedAt: after.dateCheckedAt,
        updatedAt: now,
      },
      // Two saves at once: the second to commit finds the version moved and changes nothing.
      and(eq(workflows.id, id), eq(workflows.version, before.version))!,
    ),
  ];
  if (newVersion) {
    queries.push(
      ctx.db.insertQuery(workflowVersions, {
        id: newId("workflowVersion"),
        workflowId: id,
        version: after.version,
        definition,
        createdBy: ctx.actor.id,
        createdAt: now,
      }),
    );
  }
  queries.push(
    auditQuery(ctx, {
      action: "update",
      entity: "workflow",
      entityId: id,
      before: auditedWorkflow(before),
      after: auditedWorkflow(after),
    }),
  );
  try {
    await ctx.db.batch(queries as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  } catch (error) {
    if (String(error).includes("UNIQUE")) {
      throw new ApiError("CONFLICT", "The workflow was changed at the same time; read it again and retry");
    }
    throw error;
  }
  forgetActiveWorkflows(ctx.tenant.id);
  return withStats(ctx, after);
}

/** Turns a workflow on or off. On: events from now on start it; a schedule counts from now. */
export async function setWorkflowActive(ctx: TenantContext, id: string, active: boolean) {
  const before = await findWorkflow(ctx, id);
  if (before.active === active) return withStats(ctx, before);
  const now = new Date();
  const after: WorkflowRow = {
    ...before,
    active,
    activatedAt: active ? now : before.activatedAt,
    ...timing(definitionOf(before), active, now),
    updatedAt: now,
  };
  await ctx.db.batch([
    ctx.db.updateQuery(
      workflows,
      {
        active,
        activatedAt: after.activatedAt,
        nextRunAt: after.nextRunAt,
        dateCheckedAt: after.dateCheckedAt,
        updatedAt: now,
      },
      eq(workflows.id, id),
    ),
    auditQuery(ctx, {
      action: "update",
      entity: "workflow",
      entityId: id,
      before: auditedWorkflow(before),
      after: auditedWorkflow(after),
    }),
  ]);
  forgetActiveWorkflows(ctx.tenant.id);
  return withStats(ctx, after);
}

/** Deletes a workflow: it stops at once and its waiting or running runs are cancelled. */
export async function deleteWorkflow(ctx: TenantContext, id: string): Promise<void> {
  const before = await findWorkflow(ctx, id);
  const now = new Date();
  await ctx.db.batch([
    ctx.db.updateQuery(workflows, { active: false, deletedAt: now, updatedAt: now }, eq(workflows.id, id)),
    ctx.db.updateQuery(
      workflowExecutions,
      { status: "cancelled", finishedAt: now, resumeAt: null, error: "The workflow was deleted" },
      and(eq(workflowExecutions.workflowId, id), inArray(workflowExecutions.status, ["running", "waiting"]))!,
    ),
    auditQuery(ctx, { action: "delete", entity: "workflow", entityId: id, before: auditedWorkflow(before) }),
  ]);
  forgetActiveWorkflows(ctx.tenant.id);
}

export async function listWorkflowVersions(ctx: TenantContext, id: string) {
  await findWorkflow(ctx, id);
  const rows = await ctx.db.findMany(workflowVersions, {
    where: eq(workflowVersions.workflowId, id),
    orderBy: desc(workflowVersions.version),
  });
  return {
    data: rows.map((row) => {
      const definition = definitionOf(row);
      return {
        version: row.version,
        object: definition.object,
        trigger: definition.trigger,
        conditions: definition.conditions,
        actions: definition.actions,
        createdAt: row.createdAt.toISOString(),
        createdBy: row.createdBy,
      };
    }),
  };
}

/** A workflow's definition as of one version (what a run started on). */
export async function workflowVersionDefinition(ctx: TenantContext, workflowId: string, version: number) {
  const row = await ctx.db.findFirst(
    workflowVersions,
    and(eq(workflowVersions.workflowId, workflowId), eq(workflowVersions.version, version))!,
  );
  return row ? definitionOf(row) : null;
}

/**
 * Whether a tenant has an active event-triggered workflow, cached in the isolate for a few
 * seconds like the webhook check: the API asks after every write that recorded events.
 * Events gated off meanwhile stay pending and the Cron sweep hands them to the dispatcher.
 */
const activeCacheTtlMs = 10_000;
const activeCache = new Map<string, { active: boolean; cachedAt: number }>();

export async function tenantHasActiveWorkflows(ctx: Pick<TenantContext, "db" | "tenant">): Promise<boolean> {
  const cached = activeCache.get(ctx.tenant.id);
  if (cached && Date.now() - cached.cachedAt < activeCacheTtlMs) return cached.active;
  const active =
    (await ctx.db.count(
      workflows,
      and(
        eq(workflows.active, true),
        isNull(workflows.deletedAt),
        inArray(workflows.triggerType, [...eventTriggerTypes]),
      )!,
    )) > 0;
  if (activeCache.size > 10_000) activeCache.clear();
  activeCache.set(ctx.tenant.id, { active, cachedAt: Date.now() });
  return active;
}

export function forgetActiveWorkflows(tenantId: string): void {
  activeCache.delete(tenantId);
}
