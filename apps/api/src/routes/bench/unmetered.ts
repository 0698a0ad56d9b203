import type { Scope } from "@crm/services";
import { type App, newRouter } from "../../app";
import { problemResponse } from "../../lib/problem";
import { requestId } from "../../middleware/request-id";
import { registerGetContact } from "../contacts/get";
import { registerListContacts } from "../contacts/list";
import { registerPipelineBoard } from "../pipelines/board";
import { registerPipelineStats } from "../stats/pipeline";
import { benchGate } from "./gate";

const prefix = "/__bench/unmetered";
const tenantHeader = "x-bench-tenant";
/** What the benchmark's API key holds: reads only, so nothing here can change data. */
const readScopes: Scope[] = ["contacts:read", "deals:read", "pipelines:read", "stats:read"];

let router: App | undefined;

/**
 * The real read routes (same definitions, validation, services and serialisation) on a
 * router of their own, where nothing runs before them but a principal for the tenant the
 * benchmark names: no API key check and no rate limiter. A tenant may make 6,000 requests
 * a minute, far fewer than a throughput benchmark sends at one large tenant; what the key
 * check and the rate limiter cost is what bench/api-key-read.mjs measures. Built on first
 * use, so a Worker without BENCH_ROUTES never builds it.
 */
function unmeteredRouter(): App {
  if (router) return router;
  const inner = newRouter();
  inner.use("*", requestId, async (c, next) => {
    const tenantId = c.req.header(tenantHeader) ?? "";
    c.set("principal", {
      tenantId,
      actor: { type: "api_key", id: "bench", scopes: readScopes, createdBy: "bench" },
      rateLimit: Number.POSITIVE_INFINITY,
      scopes: readScopes,
    });
    await next();
  });
  registerListContacts(inner);
  registerGetContact(inner);
  registerPipelineBoard(inner);
  registerPipelineStats(inner);
  inner.notFound((c) => problemResponse(c, "NOT_FOUND", `No benchmark route matches GET ${prefix}${c.req.path}`));
  // Thrown errors go back to the outer app, whose onError answers them as it does for the API.
  inner.onError((error) => {
    throw error;
  });
  router = inner;
  return inner;
}

/**
 * `GET /__bench/unmetered/api/v1/<route>?tenantId=<id>&...` answers as `GET /api/v1/<route>`
 * would for an API key of that tenant with every read scope, for the routes the CRM benchmark
 * (bench/crm-lists.mjs) measures: the contact list and detail, the pipeline board and the
 * pipeline stats. 404 for every method unless BENCH_ROUTES is "true"; GET only.
 */
export function registerUnmeteredRoutes(app: App): void {
  app.all(`${prefix}/*`, async (c) => {
    const gate = benchGate(c);
    if (gate instanceof Response) return gate;
    const url = new URL(c.req.url);
    url.pathname = url.pathname.slice(prefix.length);
    url.searchParams.delete("tenantId");
    const headers = new Headers({ [tenantHeader]: gate.tenantId, "x-request-id": c.get("requestId") });
    const forwarded = new Request(url, { method: "GET", headers });
    return unmeteredRouter().fetch(forwarded, c.env, c.executionCtx);
  });
}
