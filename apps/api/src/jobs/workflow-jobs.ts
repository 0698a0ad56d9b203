import { createDb, tenantDb } from "@crm/db";
import {
  createTimeTriggeredRuns,
  dispatchWorkflowEvents,
  tenantHasActiveWebhooks,
  tenantHasActiveWorkflows,
} from "@crm/services";
import type { Bindings } from "../env";
import { runExecution } from "../workflows/run";
import { chunkOf } from "./chunk";
import { enqueue, type JobMessage, JobMessageSchema } from "./messages";
import { enqueueDispatch } from "./webhook-jobs";

export async function enqueueWorkflowDispatch(queue: Queue, tenantId: string): Promise<void> {
  await enqueue(queue, { type: "workflows.dispatch", tenantId });
}

export async function enqueueRun(queue: Queue, tenantId: string, executionId: string): Promise<void> {
  await enqueue(queue, { type: "workflow.run", tenantId, executionId });
}

/** Many runs, 100 messages per sendBatch call (the Queues limit). */
export async function enqueueRuns(queue: Queue, tenantId: string, executionIds: string[]): Promise<void> {
  for (const ids of chunkOf(executionIds, 100)) {
    await queue.sendBatch(
      ids.map((executionId) => ({ body: JobMessageSchema.parse({ type: "workflow.run", tenantId, executionId }) })),
    );
  }
}

export async function dispatchWorkflows(
  message: Extract<JobMessage, { type: "workflows.dispatch" }>,
  env: Bindings,
): Promise<void> {
  const { executionIds, more } = await dispatchWorkflowEvents(tenantDb(createDb(env.DB), message.tenantId));
  if (more) await enqueueWorkflowDispatch(env.JOBS, message.tenantId);
  await enqueueRuns(env.JOBS, message.tenantId, executionIds);
}

/**
 * One run, then the events its actions recorded go to webhooks and workflows like a
 * request's would (a lost enqueue is caught by the Cron sweep).
 */
export async function runWorkflow(
  message: Extract<JobMessage, { type: "workflow.run" }>,
  env: Bindings,
): Promise<void> {
  const { eventsRecorded } = await runExecution(env, message.tenantId, message.executionId);
  if (!eventsRecorded) return;
  const ctx = { db: tenantDb(createDb(env.DB), message.tenantId), tenant: { id: message.tenantId } };
  if (await tenantHasActiveWebhooks(ctx)) await enqueueDispatch(env.JOBS, message.tenantId);
  if (await tenantHasActiveWorkflows(ctx)) await enqueueWorkflowDispatch(env.JOBS, message.tenantId);
}

export async function runTimeTrigger(
  message: Extract<JobMessage, { type: "workflow.time" }>,
  env: Bindings,
): Promise<void> {
  const { type: _type, ...job } = message;
  const { executionIds, next } = await createTimeTriggeredRuns(tenantDb(createDb(env.DB), message.tenantId), job);
  if (next) await enqueue(env.JOBS, { type: "workflow.time", ...next });
  await enqueueRuns(env.JOBS, message.tenantId, executionIds);
}
