import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { problemResponse } from "../../lib/problem";

/**
 * What every benchmark route checks first. They exist only when the BENCH_ROUTES binding is
 * "true" (`npm run bench` sets it; wrangler.toml never does): otherwise every method answers
 * exactly as an unknown route. They answer GET only, and read the tenant named by `?tenantId=`
 * (there are no credentials to take it from). Returns the tenant id, or the response to send.
 */
export function benchGate(c: Context<AppEnv>): { tenantId: string } | Response {
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
  return { tenantId };
}
