import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { getCampaign } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { CampaignSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/campaigns/{id}",
  operationId: "getCampaign",
  summary: "One campaign",
  tags: ["Campaigns"],
  ...access({ scope: "campaigns:read" }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "The campaign", content: { "application/json": { schema: CampaignSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerGetCampaign(app: App): void {
  app.openapi(route, async (c) => c.json(await getCampaign(tenantContext(c), c.req.valid("param").id), 200));
}
