import { createDb, newId, tenantDb, workflowExecutions, workflowSteps, workflows } from "@crm/db";
import { domainEventQueries, findWorkflowRecord, type TenantContext, workflowVersionDefinition } from "@crm/services";
import type { WorkflowObject } from "@crm/workflows";
import { and, eq } from "drizzle-orm";
import type { Bindings } from "../env";
import { runAction } from "./actions";
import { failureMessage } from "./writers";

export interface RunOutcome {
  /** The run's actions wrote records: their domain events should be dispatched. */
  eventsRecorded: boolean;
}

/**
 * Runs an execution from its next step on the version it started with, one step at a time.
 * Each step is claimed by inserting its row (unique per execution and index), so a
 * redelivered message never runs a step twice. A wait step leaves the run `waiting` with
 * `resume_at` and returns: the Cron tick resumes it. Nothing here sleeps.
 */
export async function runExecution(env: Bindings, tenantId: string, executionId: string): Promise<RunOutcome> {
  const database = createDb(env.DB);
  const db = tenantDb(database, tenantId);
  const outcome: RunOutcome = { eventsRecorded: false };
  const execution = await db.findFirst(workflowExecutions, eq(workflowExecutions.id, executionId));
  if (!execution || execution.status !== "running") return outcome;
  const workflow = await db.findFirst(workflows, eq(workflows.id, execution.workflowId));
  const finish = async (status: "succeeded" | "failed", error: string | null, nextStep?: number) => {
    await db.update(
      workflowExecutions,
      { status, error, finishedAt: new Date(), resumeAt: null, ...(nextStep === undefined ? {} : { nextStep }) },
      and(eq(workflowExecutions.id, executionId), eq(workflowExecutions.status, "running"))!,
    );
  };
  if (!workflow) {
    await finish("failed", "The workflow no longer exists");
    return outcome;
  }
  // The workflow acts as itself: the audit log and domain events name it, one level deeper.
  const ctx: TenantContext = {
    tenant: { id: tenantId },
    actor: { type: "system", id: workflow.id },
    db,
    requestId: newId("request"),
    eventDepth: execution.depth + 1,
    onEventsRecorded: () => {
      outcome.eventsRecorded = true;
    },
  };
  const definition = await workflowVersionDefinition(ctx, workflow.id, execution.version);
  if (!definition) {
    await finish("failed", `Version ${execution.version} of the workflow was not found`);
    return outcome;
  }
  const object = definition.object as WorkflowObject;

  for (let index = execution.nextStep; index < definition.actions.length; index++) {
    const action = definition.actions[index]!;
    if (index > execution.nextStep) {
      const current = await db.findFirst(workflowExecutions, eq(workflowExecutions.id, executionId));
      if (current?.status !== "running") return outcome; // cancelled meanwhile
    }
    const startedAt = new Date();
    const claimed = await db
      .insertQuery(workflowSteps, {
        id: newId("workflowStep"),
        executionId,
        index,
        actionType: action.type,
        status: "running",
        startedAt,
        finishedAt: null,
        output: null,
        error: null,
      })
      .onConflictDoNothing()
      .returning({ id: workflowSteps.id });
    if (claimed.length === 0) return outcome; // another delivery of this message has it
    const step = eq(workflowSteps.id, claimed[0]!.id);

    const record = execution.recordId ? await findWorkflowRecord(ctx, object, execution.recordId) : null;
    try {
      const result = await runAction(action, {
        ctx,
        database,
        environment: env.ENVIRONMENT,
        workflow,
        executionId,
        version: execution.version,
        index,
        object,
        record,
        now: startedAt,
      });
      if (result.kind === "wait") {
        await db.batch([
          db.updateQuery(workflowSteps, { status: "waiting", output: result.output }, step),
          db.updateQuery(
            workflowExecutions,
            { status: "waiting", resumeAt: result.resumeAt, nextStep: index + 1 },
            and(eq(workflowExecutions.id, executionId), eq(workflowExecutions.status, "running"))!,
          ),
        ]);
        return outcome;
      }
      await db.batch([
        db.updateQuery(workflowSteps, { status: "succeeded", output: result.output, finishedAt: new Date() }, step),
        db.updateQuery(workflowExecutions, { nextStep: index + 1 }, eq(workflowExecutions.id, executionId)),
      ]);
    } catch (error) {
      const message = failureMessage(error);
      const runError = `Step ${index + 1} (${action.type}) failed: ${message}`;
      const finishedAt = new Date();
      // The failure and its `workflow.failed` event (for webhook subscribers) land together.
      await db.batch([
        db.updateQuery(workflowSteps, { status: "failed", error: message, finishedAt }, step),
        db.updateQuery(
          workflowExecutions,
          { status: "failed", error: runError, finishedAt, resumeAt: null },
          and(eq(workflowExecutions.id, executionId), eq(workflowExecutions.status, "running"))!,
        ),
        ...domainEventQueries(ctx, [
          {
            type: "workflow.failed",
            entity: "workflow",
            entityId: workflow.id,
            data: {
              workflowId: workflow.id,
              workflowName: workflow.name,
              executionId,
              version: execution.version,
              recordType: object,
              recordId: execution.recordId,
              step: index,
              actionType: action.type,
              error: runError,
            },
            previous: null,
          },
        ]),
      ]);
      return outcome;
    }
  }
  await finish("succeeded", null, definition.actions.length);
  return outcome;
}
