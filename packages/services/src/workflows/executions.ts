import { newId, workflowExecutions, workflowSteps } from "@crm/db";
import { ApiError } from "@crm/errors";
import type { ExecutionStatus, WorkflowObject } from "@crm/workflows";
import { and, asc, desc, eq, inArray, lt } from "drizzle-orm";
import type { TenantContext } from "../context";
import { findWorkflow } from "./workflows";
import { findWorkflowRecord } from "./records";

export type ExecutionRow = typeof workflowExecutions.$inferSelect;
export type StepRow = typeof workflowSteps.$inferSelect;

export function publicExecution(row: ExecutionRow) {
  return {
    id: row.id,
    workflowId: row.workflowId,
    version: row.version,
    status: row.status,
    cause: { kind: row.causeKind, eventId: row.eventId, eventType: row.eventType },
    recordType: row.recordType,
    recordId: row.recordId,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    resumeAt: row.resumeAt?.toISOString() ?? null,
    error: row.error,
  };
}

export function publicStep(row: StepRow) {
  return {
    index: row.index,
    actionType: row.actionType,
    status: row.status,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    output: row.output,
    error: row.error,
  };
}

export async function listExecutions(
  ctx: TenantContext,
  workflowId: string,
  filters: { limit: number; cursor?: string | undefined; status?: ExecutionStatus | undefined },
) {
  await findWorkflow(ctx, workflowId);
  const rows = await ctx.db.findMany(workflowExecutions, {
    where: and(
      eq(workflowExecutions.workflowId, workflowId),
      filters.status ? eq(workflowExecutions.status, filters.status) : undefined,
      filters.cursor ? lt(workflowExecutions.id, filters.cursor) : undefined,
    ),
    orderBy: desc(workflowExecutions.id),
    limit: filters.limit + 1,
  });
  const page = rows.slice(0, filters.limit);
  return {
    data: page.map(publicExecution),
    nextCursor: rows.length > filters.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

async function findExecution(ctx: TenantContext, workflowId: string, executionId: string) {
  await findWorkflow(ctx, workflowId);
  const row = await ctx.db.findFirst(
    workflowExecutions,
    and(eq(workflowExecutions.id, executionId), eq(workflowExecutions.workflowId, workflowId))!,
  );
  if (!row) throw new ApiError("NOT_FOUND", `Execution ${executionId} was not found`);
  return row;
}

export async function getExecution(ctx: TenantContext, workflowId: string, executionId: string) {
  const row = await findExecution(ctx, workflowId, executionId);
  const steps = await ctx.db.findMany(workflowSteps, {
    where: eq(workflowSteps.executionId, row.id),
    orderBy: asc(workflowSteps.index),
  });
  return { ...publicExecution(row), steps: steps.map(publicStep) };
}

/** Stops a running or waiting run before its next step; 409 for one that already ended. */
export async function cancelExecution(ctx: TenantContext, workflowId: string, executionId: string) {
  const row = await findExecution(ctx, workflowId, executionId);
  const now = new Date();
  const updated = await ctx.db.update(
    workflowExecutions,
    { status: "cancelled", finishedAt: now, resumeAt: null, error: "Cancelled" },
    and(eq(workflowExecutions.id, row.id), inArray(workflowExecutions.status, ["running", "waiting"]))!,
  );
  if (updated.length === 0) {
    throw new ApiError("CONFLICT", `This run is ${row.status}; only a running or waiting run can be cancelled`);
  }
  // A wait step that will now never end is shown as skipped.
  await ctx.db.update(
    workflowSteps,
    { status: "skipped", finishedAt: now, error: "The run was cancelled" },
    and(eq(workflowSteps.executionId, row.id), eq(workflowSteps.status, "waiting"))!,
  );
  return publicExecution(updated[0]!);
}

/**
 * A manual run (also of an inactive workflow, to try it): on `recordId`, which must be a
 * record of the workflow's object; a schedule workflow may run without one. The caller
 * enqueues the run.
 */
export async function startManualRun(ctx: TenantContext, workflowId: string, recordId: string | undefined) {
  const workflow = await findWorkflow(ctx, workflowId);
  if (!recordId && workflow.triggerType !== "schedule") {
    throw new ApiError("VALIDATION_FAILED", "A manual run needs a record", {
      errors: [{ path: "body.recordId", message: `Required: the ${workflow.object} to run the workflow on` }],
    });
  }
  if (recordId && !(await findWorkflowRecord(ctx, workflow.object as WorkflowObject, recordId))) {
    throw new ApiError("VALIDATION_FAILED", "No such record", {
      errors: [{ path: "body.recordId", message: `No ${workflow.object} of this organization has this id` }],
    });
  }
  const row = await ctx.db.insert(workflowExecutions, {
    id: newId("workflowExecution"),
    workflowId,
    version: workflow.version,
    status: "running",
    causeKind: "manual",
    eventId: null,
    eventType: null,
    recordType: workflow.object,
    recordId: recordId ?? null,
    depth: 0,
    nextStep: 0,
    dedupeKey: null,
    startedAt: new Date(),
    finishedAt: null,
    resumeAt: null,
    error: null,
  });
  return publicExecution(row);
}
