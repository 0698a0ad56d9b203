import { createDb, tenantDb } from "@crm/db";
import { tenantHasActiveWebhooks, tenantHasActiveWorkflows } from "@crm/services";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { enqueueDispatch } from "../jobs/webhook-jobs";
import { enqueueWorkflowDispatch } from "../jobs/workflow-jobs";

/**
 * After a write that recorded domain events has answered, queue their dispatch to webhooks
 * and to workflows (in the background: the response does not wait). Each is skipped for
 * tenants without an active webhook (workflow); their events are stamped by the Cron sweep. A lost enqueue loses nothing
 * either: the events stay pending in D1 and the sweep dispatches them.
 */
export const dispatchEvents = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const principal = c.get("principal");
  if (!c.get("eventsRecorded") || !principal || c.res.status >= 400) return;
  const tenantId = principal.tenantId;
  c.executionCtx.waitUntil(
    (async () => {
      const ctx = { db: tenantDb(createDb(c.env.DB), tenantId), tenant: { id: tenantId } };
      const [webhooks, workflows] = await Promise.all([tenantHasActiveWebhooks(ctx), tenantHasActiveWorkflows(ctx)]);
      if (webhooks) await enqueueDispatch(c.env.JOBS, tenantId);
      if (workflows) await enqueueWorkflowDispatch(c.env.JOBS, tenantId);
    })().catch((error: unknown) => {
      console.error(
        JSON.stringify({ level: "error", requestId: c.get("requestId"), message: `dispatch: ${String(error)}` }),
      );
    }),
  );
});
