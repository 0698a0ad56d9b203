import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { removeSuppression } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";

const route = createRoute({
  method: "delete",
  path: "/api/v1/suppressions/{id}",
  operationId: "deleteSuppression",
  summary: "Allow sending to an address again (owner/admin; a contact's own opt-out still applies)",
  tags: ["Outreach"],
  ...access({ scope: "outreach:write", role: "admin" }),
  request: { params: IdParamSchema },
  responses: {
    204: { description: "Removed" },
    ...openApiErrorResponses(),
  },
});

export function registerDeleteSuppression(app: App): void {
  app.openapi(route, async (c) => {
    await removeSuppression(tenantContext(c), c.req.valid("param").id);
    return c.body(null, 204);
  });
}
