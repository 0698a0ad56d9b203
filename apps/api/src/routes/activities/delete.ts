import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { deleteActivity } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";

const route = createRoute({
  method: "delete",
  path: "/api/v1/activities/{id}",
  operationId: "deleteActivity",
  summary: "Delete an activity (whoever logged it, an owner or an admin)",
  tags: ["Activities"],
  ...access({ scope: "activities:write" }),
  request: { params: IdParamSchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses(),
  },
});

export function registerDeleteActivity(app: App): void {
  app.openapi(route, async (c) => {
    await deleteActivity(tenantContext(c), c.req.valid("param").id);
    return c.body(null, 204);
  });
}
