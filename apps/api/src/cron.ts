import { createDb } from "@crm/db";
import {
  findDueWebhookWork,
  findDueWorkflowWork,
  findTenantsWithAgentOn,
  findTenantsWithDueDeals,
  findTenantsWithRecords,
  findTenantsWithStaleModels,
  findTenantsUsingScores,
  findUnprocessedReplies,
  resumeTimedPauses,
} from "@crm/services";
import type { Bindings } from "./env";
import { queueStaleRescores } from "./jobs/ai-jobs";
import { enqueue } from "./jobs/messages";
import { enqueueDueSends } from "./jobs/outreach-jobs";
import { enqueueDelivery, enqueueDispatch } from "./jobs/webhook-jobs";
import { enqueueRun, enqueueWorkflowDispatch } from "./jobs/workflow-jobs";

export const hourlyCron = "17 * * * *";
export const fiveMinuteCron = "*/5 * * * *";
/** Sequences: a step due at 09:00 goes out within the minute, not up to five later. */
export const minuteCron = "* * * * *";

/** Cron finds due work and enqueues it; the queue consumer does it. */
export async function handleScheduled(controller: ScheduledController, env: Bindings): Promise<void> {
  switch (controller.cron) {
    case hourlyCron:
      await enqueue(env.JOBS, { type: "maintenance.purge" });
      // Weekly retraining: each tenant whose model in use is older than 7 days.
      for (const tenantId of await findTenantsWithStaleModels(createDb(env.DB), new Date(controller.scheduledTime)))
        await enqueue(env.JOBS, { type: "ai.retrain", tenantId, at: controller.scheduledTime });
      // Scores kept current: per tenant using them, the records changed since their score (capped).
      await queueStaleRescores(createDb(env.DB), env.JOBS, await findTenantsUsingScores(createDb(env.DB)));
      await enqueueAgentWork(env, new Date(controller.scheduledTime));
      // Recommendations: each tenant's next best actions, regenerated every hour.
      for (const tenantId of await findTenantsWithRecords(createDb(env.DB)))
        await enqueue(env.JOBS, {
          type: "ai.recommend",
          tenantId,
          at: controller.scheduledTime,
          recordType: "contact",
          afterId: null,
        });
      break;
    case fiveMinuteCron: {
      // Webhooks: events no request dispatched, deliveries whose queue message went missing.
      const due = await findDueWebhookWork(createDb(env.DB));
      for (const tenantId of due.tenantIds) await enqueueDispatch(env.JOBS, tenantId);
      for (const job of due.deliveries) await enqueueDelivery(env.JOBS, job);
      // Workflows: undispatched events, waits now due, schedule ticks and date checks. The
      // tick's scheduled time is "now", so a test can move time forward.
      const flows = await findDueWorkflowWork(createDb(env.DB), new Date(controller.scheduledTime));
      for (const tenantId of flows.tenantIds) await enqueueWorkflowDispatch(env.JOBS, tenantId);
      for (const run of flows.resumes) await enqueueRun(env.JOBS, run.tenantId, run.executionId);
      for (const job of flows.timeJobs) await enqueue(env.JOBS, { type: "workflow.time", ...job });
      // Inbound replies stored by a delivery that stopped before acting on them.
      const at = controller.scheduledTime;
      for (const reply of await findUnprocessedReplies(createDb(env.DB), new Date(at)))
        await enqueue(env.JOBS, { type: "inbound.resume", ...reply, at });
      // Later modules (syncs) enqueue their due work here too.
      break;
    }
    case minuteCron:
      // Sequences: timed pauses that are over (an out-of-office reply's return date) resume
      // first, so a step that fell due meanwhile is found by this same tick; then the steps
      // now due (each placed in its window by the consumer).
      await resumeTimedPauses(createDb(env.DB), new Date(controller.scheduledTime));
      await enqueueDueSends(env, new Date(controller.scheduledTime));
      break;
    default:
      break;
  }
}

/** The hour (UTC) whose hourly tick also runs the pipeline agent's daily stuck-deal review. */
export const stuckReviewHourUtc = 7;

/** The pipeline agent: tenants (agent on) with due deals get a run; at 07 UTC every such tenant a review. */
async function enqueueAgentWork(env: Bindings, now: Date): Promise<void> {
  const db = createDb(env.DB);
  const at = now.getTime();
  for (const tenantId of await findTenantsWithDueDeals(db, now))
    await enqueue(env.JOBS, { type: "ai.agent", tenantId, at });
  if (now.getUTCHours() === stuckReviewHourUtc)
    for (const tenantId of await findTenantsWithAgentOn(db))
      await enqueue(env.JOBS, { type: "ai.agentReview", tenantId, at });
}
