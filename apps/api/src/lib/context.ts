import { createDb, tenantDb } from "@crm/db";
import { ApiError } from "@crm/errors";
import type { TenantContext } from "@crm/services";
import type { Context } from "hono";
import type { AppEnv } from "../env";

/** The tenant context for a handler: tenant, actor and a tenant-scoped database. */
export function tenantContext(c: Context<AppEnv>): TenantContext {
  const principal = c.get("principal");
  if (!principal) throw new ApiError("UNAUTHORIZED", "Authentication required");
  return {
    tenant: { id: principal.tenantId },
    actor: principal.actor,
    db: tenantDb(createDb(c.env.DB), principal.tenantId),
    requestId: c.get("requestId"),
    onEventsRecorded: () => c.set("eventsRecorded", true),
  };
}
