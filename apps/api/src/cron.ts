import type { Bindings } from "./env";
import { enqueue } from "./jobs/messages";

/** Cron finds due work and enqueues it; the queue consumer does it. */
export async function handleScheduled(controller: ScheduledController, env: Bindings): Promise<void> {
  switch (controller.cron) {
    case "17 * * * *":
      await enqueue(env.JOBS, { type: "maintenance.purge" });
      break;
    default:
      // The five-minute tick: later modules (sequences, workflows, syncs) enqueue their due work here.
      break;
  }
}
