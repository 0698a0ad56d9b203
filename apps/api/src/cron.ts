import { createDb } from "@crm/db";
import { findDueWebhookWork } from "@crm/services";
import type { Bindings } from "./env";
import { enqueue } from "./jobs/messages";
import { enqueueDelivery, enqueueDispatch } from "./jobs/webhook-jobs";

export const hourlyCron = "17 * * * *";
export const fiveMinuteCron = "*/5 * * * *";

/** Cron finds due work and enqueues it; the queue consumer does it. */
export async function handleScheduled(controller: ScheduledController, env: Bindings): Promise<void> {
  switch (controller.cron) {
    case hourlyCron:
      await enqueue(env.JOBS, { type: "maintenance.purge" });
      break;
    case fiveMinuteCron: {
      // Webhooks: events no request dispatched, deliveries whose queue message went missing.
      const due = await findDueWebhookWork(createDb(env.DB));
      for (const tenantId of due.tenantIds) await enqueueDispatch(env.JOBS, tenantId);
      for (const job of due.deliveries) await enqueueDelivery(env.JOBS, job);
      // Later modules (sequences, workflows, syncs) enqueue their due work here too.
      break;
    }
    default:
      break;
  }
}
