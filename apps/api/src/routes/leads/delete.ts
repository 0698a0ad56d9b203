import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { deleteLead } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";

const route = createRoute({
  method: "delete",
  path: "/api/v1/leads/{id}",
  operationId: "deleteLead",
  summary: "Delete a lead",
  description: "Its stage history, notes and activities go with it; records a conversion created stay.",
  tags: ["Leads"],
  ...access({ scope: "leads:write" }),
  request: { params: IdParamSchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses(),
  },
});

export function registerDeleteLead(app: App): void {
  app.openapi(route, async (c) => {
    await deleteLead(tenantContext(c), c.req.valid("param").id);
    return c.body(null, 204);
  });
}
