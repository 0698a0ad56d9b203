import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { deleteView } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";

const route = createRoute({
  method: "delete",
  path: "/api/v1/views/{id}",
  operationId: "deleteView",
  summary: "Delete one of the caller's saved views",
  tags: ["Saved views"],
  ...access({ scope: "views:write", role: "viewer", keys: false }),
  request: { params: IdParamSchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses(),
  },
});

export function registerDeleteView(app: App): void {
  app.openapi(route, async (c) => {
    await deleteView(tenantContext(c), c.req.valid("param").id);
    return c.body(null, 204);
  });
}
