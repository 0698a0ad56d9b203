import { createDb, tenantDb } from "@crm/db";
import { tenantHasActiveWebhooks } from "@crm/services";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { enqueueDispatch } from "../jobs/webhook-jobs";

/**
 * After a write that recorded domain events has answered, queue their dispatch (in the
 * background: the response does not wait). Skipped for tenants without an active webhook;
 * their events are stamped dispatched by the Cron sweep. A lost enqueue loses nothing
 * either: the events stay pending in D1 and the sweep dispatches them.
 */
export const dispatchEvents = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const principal = c.get("principal");
  if (!c.get("eventsRecorded") || !principal || c.res.status >= 400) return;
  const tenantId = principal.tenantId;
  c.executionCtx.waitUntil(
    (async () => {
      const db = tenantDb(createDb(c.env.DB), tenantId);
      if (await tenantHasActiveWebhooks({ db, tenant: { id: tenantId } })) await enqueueDispatch(c.env.JOBS, tenantId);
    })().catch((error: unknown) => {
      console.error(
        JSON.stringify({ level: "error", requestId: c.get("requestId"), message: `dispatch: ${String(error)}` }),
      );
    }),
  );
});
