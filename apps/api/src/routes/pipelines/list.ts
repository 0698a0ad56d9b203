import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { listPipelines } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { PageQuerySchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { PipelinePageSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/pipelines",
  operationId: "listPipelines",
  summary: "List pipelines in order, each with its stages",
  description: "Every new organization starts with Sales, Backlink outreach and Partnership.",
  tags: ["Pipelines"],
  ...access({ scope: "pipelines:read" }),
  request: { query: PageQuerySchema },
  responses: {
    200: { description: "A page of pipelines", content: { "application/json": { schema: PipelinePageSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerListPipelines(app: App): void {
  app.openapi(route, async (c) => c.json(await listPipelines(tenantContext(c), c.req.valid("query")), 200));
}
