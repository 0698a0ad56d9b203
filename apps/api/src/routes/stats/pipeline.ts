import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { pipelineStats } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { PipelineStatsQuerySchema, PipelineStatsSchema, rangeFrom } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/stats/pipeline",
  operationId: "getPipelineStats",
  summary: "Pipeline value by stage, weighted forecast, win rate and average cycle time over a period",
  description:
    "Value and count by stage and the weighted forecast cover deals created in the period; win rate and cycle time cover " +
    "deals closed in it. Without `pipelineId`, every pipeline. Members whose role sees only their own records get figures over those.",
  tags: ["Stats"],
  ...access({ scope: "stats:read" }),
  request: { query: PipelineStatsQuerySchema },
  responses: {
    200: { description: "The figures", content: { "application/json": { schema: PipelineStatsSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerPipelineStats(app: App): void {
  app.openapi(route, async (c) => {
    const query = c.req.valid("query");
    return c.json(await pipelineStats(tenantContext(c), { pipelineId: query.pipelineId, ...rangeFrom(query) }), 200);
  });
}
