import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { getRescoreJob, listRescoreJobs, startRescore } from "@crm/services";
import type { App } from "../../app";
import { enqueueRescoreStart } from "../../jobs/ai-jobs";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { RescoreBodySchema, RescoreJobListQuerySchema, RescoreJobPageSchema, RescoreJobSchema } from "./schema";

const startRoute = createRoute({
  method: "post",
  path: "/api/v1/ai/rescore",
  operationId: "startAiRescore",
  summary: "Rescore every contact and lead (lead scores) or every customer (churn risk) in the background",
  description:
    "`kind` says which scores: `lead_score` (default) scores every contact, then every lead; `churn` every customer. " +
    "Queued and done in chunks of 100 records, each in one write (a chunk delivered twice is written once); " +
    "follow `scored`/`total` at GET /api/v1/ai/rescore/{id}. Threshold moves apply as for one contact or lead. " +
    "`mode: stale` rescores only the records changed since their score. Scores are also refreshed without anyone " +
    "asking: after a training activates a new model (`trigger: retrain`) and hourly for stale records (`trigger: schedule`).",
  tags: ["AI"],
  ...access({ scope: "ai:write" }),
  request: { body: { required: false, content: { "application/json": { schema: RescoreBodySchema } } } },
  responses: {
    202: { description: "Queued", content: { "application/json": { schema: RescoreJobSchema } } },
    ...openApiErrorResponses(),
  },
});

const listRoute = createRoute({
  method: "get",
  path: "/api/v1/ai/rescore",
  operationId: "listAiRescores",
  summary: "The organization's rescoring jobs, newest first, whoever or whatever started them",
  tags: ["AI"],
  ...access({ scope: "ai:read" }),
  request: { query: RescoreJobListQuerySchema },
  responses: {
    200: { description: "A page of jobs", content: { "application/json": { schema: RescoreJobPageSchema } } },
    ...openApiErrorResponses(),
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/api/v1/ai/rescore/{id}",
  operationId: "getAiRescore",
  summary: "A rescoring job's progress",
  tags: ["AI"],
  ...access({ scope: "ai:read" }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "The job", content: { "application/json": { schema: RescoreJobSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerRescore(app: App): void {
  app.openapi(startRoute, async (c) => {
    const ctx = tenantContext(c);
    const body = c.req.valid("json");
    const job = await startRescore(ctx, { kind: body?.kind ?? "lead_score", mode: body?.mode ?? "all" });
    await enqueueRescoreStart(c.env.JOBS, ctx.tenant.id, job);
    return c.json(job, 202);
  });
  app.openapi(listRoute, async (c) => {
    const { limit, cursor, kind } = c.req.valid("query");
    return c.json(
      await listRescoreJobs(tenantContext(c), { limit, ...(cursor ? { cursor } : {}), ...(kind ? { kind } : {}) }),
      200,
    );
  });
  app.openapi(getRoute, async (c) => c.json(await getRescoreJob(tenantContext(c), c.req.valid("param").id), 200));
}
