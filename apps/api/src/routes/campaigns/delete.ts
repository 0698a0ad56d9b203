import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { deleteCampaign } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";

const route = createRoute({
  method: "delete",
  path: "/api/v1/campaigns/{id}",
  operationId: "deleteCampaign",
  summary: "Delete a campaign that is not running; its paused enrollments end (unenrolled)",
  tags: ["Campaigns"],
  ...access({ scope: "campaigns:write" }),
  request: { params: IdParamSchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses([409]),
  },
});

export function registerDeleteCampaign(app: App): void {
  app.openapi(route, async (c) => {
    await deleteCampaign(tenantContext(c), c.req.valid("param").id);
    return c.body(null, 204);
  });
}
