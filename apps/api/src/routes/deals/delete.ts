import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { deleteDeal } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";

const route = createRoute({
  method: "delete",
  path: "/api/v1/deals/{id}",
  operationId: "deleteDeal",
  summary: "Delete a deal",
  description: "Its stage history, notes and activities go with it; its tasks stay, unlinked.",
  tags: ["Deals"],
  ...access({ scope: "deals:write" }),
  request: { params: IdParamSchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses(),
  },
});

export function registerDeleteDeal(app: App): void {
  app.openapi(route, async (c) => {
    await deleteDeal(tenantContext(c), c.req.valid("param").id);
    return c.body(null, 204);
  });
}
