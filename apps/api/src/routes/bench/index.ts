import { createDb, tenantDb } from "@crm/db";
import { getAuditEntry } from "@crm/services";
import type { App } from "../../app";
import { problemResponse } from "../../lib/problem";

/**
 * The benchmark's baseline (bench/): the same single D1 read as GET /api/v1/audit-log/{id},
 * with no authentication and no rate limit, so `npm run bench` can price what the API key
 * check and the rate limiter add. It exists only when the BENCH_ROUTES binding is "true"
 * (the bench sets it; wrangler.toml never does): otherwise every method answers exactly as
 * an unknown route. Registered with plain `app.all`, so it is not in /openapi.json and the
 * 405 detection does not reveal it.
 */
export function registerBenchRoutes(app: App): void {
  app.all("/__bench/audit-log/:id", async (c) => {
    if (c.env.BENCH_ROUTES !== "true") {
      return problemResponse(c, "NOT_FOUND", `No route matches ${c.req.method} ${c.req.path}`);
    }
    if (c.req.method !== "GET") {
      return problemResponse(c, "METHOD_NOT_ALLOWED", `${c.req.method} is not allowed on ${c.req.path}`, {
        headers: { Allow: "GET" },
      });
    }
    const tenantId = c.req.query("tenantId");
    if (!tenantId) {
      return problemResponse(c, "VALIDATION_FAILED", "The request has invalid fields", {
        errors: [{ path: "query.tenantId", message: "Required" }],
      });
    }
    const entry = await getAuditEntry(
      {
        tenant: { id: tenantId },
        actor: { type: "system", id: "bench" },
        db: tenantDb(createDb(c.env.DB), tenantId),
        requestId: c.get("requestId"),
      },
      c.req.param("id"),
    );
    return c.json(entry, 200);
  });
}
