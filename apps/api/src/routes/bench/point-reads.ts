import { createDb, tenantDb } from "@crm/db";
import { getAuditEntry, getContact, type TenantContext } from "@crm/services";
import type { Context } from "hono";
import type { App } from "../../app";
import type { AppEnv } from "../../env";
import { benchGate } from "./gate";

function systemContext(c: Context<AppEnv>, tenantId: string): TenantContext {
  return {
    tenant: { id: tenantId },
    actor: { type: "system", id: "bench" },
    db: tenantDb(createDb(c.env.DB), tenantId),
    requestId: c.get("requestId"),
  };
}

/**
 * The benchmarks' baselines: one row read by primary key through the same service as
 * GET /api/v1/audit-log/{id} and GET /api/v1/contacts/{id}, with no authentication, no rate
 * limit and no request validation, so `npm run bench` can price what the API adds on top
 * of a point read (the key check and rate limiter; a page of a list). Registered with plain
 * `app.all`, so they are not in /openapi.json and the 405 detection does not reveal them.
 */
export function registerBenchPointReads(app: App): void {
  app.all("/__bench/audit-log/:id", async (c) => {
    const gate = benchGate(c);
    if (gate instanceof Response) return gate;
    return c.json(await getAuditEntry(systemContext(c, gate.tenantId), c.req.param("id")), 200);
  });

  app.all("/__bench/contacts/:id", async (c) => {
    const gate = benchGate(c);
    if (gate instanceof Response) return gate;
    return c.json(await getContact(systemContext(c, gate.tenantId), c.req.param("id")), 200);
  });
}
