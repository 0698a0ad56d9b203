import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { updatePipeline } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { PipelineSchema, UpdatePipelineBodySchema } from "./schema";

const route = createRoute({
  method: "patch",
  path: "/api/v1/pipelines/{id}",
  operationId: "updatePipeline",
  summary: "Rename or reposition a pipeline (owner/admin)",
  description: "Stages change through the /stages routes.",
  tags: ["Pipelines"],
  ...access({ scope: "pipelines:write", role: "admin" }),
  request: {
    params: IdParamSchema,
    body: { required: true, content: { "application/json": { schema: UpdatePipelineBodySchema } } },
  },
  responses: {
    200: { description: "The pipeline as changed", content: { "application/json": { schema: PipelineSchema } } },
    ...openApiErrorResponses([409]),
  },
});

export function registerUpdatePipeline(app: App): void {
  app.openapi(route, async (c) =>
    c.json(await updatePipeline(tenantContext(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );
}
