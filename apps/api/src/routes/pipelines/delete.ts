import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { deletePipeline } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";

const route = createRoute({
  method: "delete",
  path: "/api/v1/pipelines/{id}",
  operationId: "deletePipeline",
  summary: "Delete a pipeline and its stages (owner/admin)",
  description: "A pipeline that still holds deals is a 409: move or delete them first.",
  tags: ["Pipelines"],
  ...access({ scope: "pipelines:write", role: "admin" }),
  request: { params: IdParamSchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses([409]),
  },
});

export function registerDeletePipeline(app: App): void {
  app.openapi(route, async (c) => {
    await deletePipeline(tenantContext(c), c.req.valid("param").id);
    return c.body(null, 204);
  });
}
