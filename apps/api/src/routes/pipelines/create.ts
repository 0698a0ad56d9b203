import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { createPipeline } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { CreatePipelineBodySchema, PipelineSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/pipelines",
  operationId: "createPipeline",
  summary: "Create a pipeline with its stages (owner/admin)",
  description:
    "Names are unique per organization (409). It goes after the existing pipelines. A stage cannot be both won and lost.",
  tags: ["Pipelines"],
  ...access({ scope: "pipelines:write", role: "admin" }),
  request: { body: { required: true, content: { "application/json": { schema: CreatePipelineBodySchema } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: PipelineSchema } } },
    ...openApiErrorResponses([409]),
  },
});

export function registerCreatePipeline(app: App): void {
  app.openapi(route, async (c) => c.json(await createPipeline(tenantContext(c), c.req.valid("json")), 201));
}
