import { createDb, tenantDb } from "@crm/db";
import { tenantHasActiveWebhooks, tenantHasActiveWorkflows } from "@crm/services";
import type { Bindings } from "../env";
import { enqueueDispatch } from "../jobs/webhook-jobs";
import { enqueueWorkflowDispatch } from "../jobs/workflow-jobs";

/**
 * Queues the dispatch of a tenant's new domain events to its webhooks and workflows, for
 * writes outside the authenticated API (tracking links, inbound mail) that the
 * dispatch-events middleware does not see. A failure loses nothing: the Cron sweep
 * dispatches events still pending.
 */
export async function queueEventDispatch(env: Bindings, tenantId: string, requestId: string): Promise<void> {
  try {
    const ctx = { db: tenantDb(createDb(env.DB), tenantId), tenant: { id: tenantId } };
    const [webhooks, workflows] = await Promise.all([tenantHasActiveWebhooks(ctx), tenantHasActiveWorkflows(ctx)]);
    if (webhooks) await enqueueDispatch(env.JOBS, tenantId);
    if (workflows) await enqueueWorkflowDispatch(env.JOBS, tenantId);
  } catch (error) {
    console.error(JSON.stringify({ level: "error", requestId, message: `dispatch: ${String(error)}` }));
  }
}
