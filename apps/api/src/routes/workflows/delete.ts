import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { deleteWorkflow } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";

const route = createRoute({
  method: "delete",
  path: "/api/v1/workflows/{id}",
  operationId: "deleteWorkflow",
  summary: "Delete a workflow (owner/admin); its running and waiting runs are cancelled",
  tags: ["Workflows"],
  ...access({ scope: "workflows:write", role: "admin" }),
  request: { params: IdParamSchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses(),
  },
});

export function registerDeleteWorkflow(app: App): void {
  app.openapi(route, async (c) => {
    await deleteWorkflow(tenantContext(c), c.req.valid("param").id);
    return c.body(null, 204);
  });
}
