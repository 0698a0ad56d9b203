import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { getPipeline } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { PipelineSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/pipelines/{id}",
  operationId: "getPipeline",
  summary: "One pipeline with its stages in order",
  tags: ["Pipelines"],
  ...access({ scope: "pipelines:read" }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "The pipeline", content: { "application/json": { schema: PipelineSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerGetPipeline(app: App): void {
  app.openapi(route, async (c) => c.json(await getPipeline(tenantContext(c), c.req.valid("param").id), 200));
}
