import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { getRescoreJob, startRescore } from "@crm/services";
import type { App } from "../../app";
import { enqueue } from "../../jobs/messages";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { RescoreBodySchema, RescoreJobSchema } from "./schema";

const startRoute = createRoute({
  method: "post",
  path: "/api/v1/ai/rescore",
  operationId: "startAiRescore",
  summary: "Rescore every contact and lead (lead scores) or every customer (churn risk) in the background",
  description:
    "`kind` says which scores: `lead_score` (default) scores every contact, then every lead; `churn` every customer. " +
    "Queued and done in chunks of 100 records, each in one write (a chunk delivered twice is written once); " +
    "follow `scored`/`total` at GET /api/v1/ai/rescore/{id}. Threshold moves apply as for one contact or lead.",
  tags: ["AI"],
  ...access({ scope: "ai:write" }),
  request: { body: { required: false, content: { "application/json": { schema: RescoreBodySchema } } } },
  responses: {
    202: { description: "Queued", content: { "application/json": { schema: RescoreJobSchema } } },
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
    const job = await startRescore(ctx, { kind: c.req.valid("json")?.kind ?? "lead_score" });
    if (job.status === "queued")
      await enqueue(c.env.JOBS, {
        type: "ai.rescore",
        tenantId: ctx.tenant.id,
        jobId: job.id,
        chunkIndex: 0,
        afterId: null,
        objectType: job.objectType,
      });
    return c.json(job, 202);
  });
  app.openapi(getRoute, async (c) => c.json(await getRescoreJob(tenantContext(c), c.req.valid("param").id), 200));
}
