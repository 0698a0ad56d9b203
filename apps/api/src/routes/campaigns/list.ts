import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { listCampaigns } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { CampaignListQuerySchema, CampaignPageSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/campaigns",
  operationId: "listCampaigns",
  summary: "List the tenant's campaigns, newest first",
  tags: ["Campaigns"],
  ...access({ scope: "campaigns:read" }),
  request: { query: CampaignListQuerySchema },
  responses: {
    200: { description: "A page of campaigns", content: { "application/json": { schema: CampaignPageSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerListCampaigns(app: App): void {
  app.openapi(route, async (c) => c.json(await listCampaigns(tenantContext(c), c.req.valid("query")), 200));
}
