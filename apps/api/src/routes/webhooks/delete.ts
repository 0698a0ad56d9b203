import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { deleteWebhook } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";

const route = createRoute({
  method: "delete",
  path: "/api/v1/webhooks/{id}",
  operationId: "deleteWebhook",
  summary: "Delete a webhook with its deliveries and their log (owner/admin)",
  tags: ["Webhooks"],
  ...access({ scope: "webhooks:write", role: "admin" }),
  request: { params: IdParamSchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses(),
  },
});

export function registerDeleteWebhook(app: App): void {
  app.openapi(route, async (c) => {
    await deleteWebhook(tenantContext(c), c.req.valid("param").id);
    return c.body(null, 204);
  });
}
