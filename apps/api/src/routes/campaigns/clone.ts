import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { cloneCampaign } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { CampaignSchema, CloneCampaignBodySchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/campaigns/{id}/clone",
  operationId: "cloneCampaign",
  summary: "Copy a campaign into a new draft (same sequence, audience and goal)",
  tags: ["Campaigns"],
  ...access({ scope: "campaigns:write" }),
  request: {
    params: IdParamSchema,
    body: { required: false, content: { "application/json": { schema: CloneCampaignBodySchema } } },
  },
  responses: {
    201: { description: "The new draft", content: { "application/json": { schema: CampaignSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerCloneCampaign(app: App): void {
  app.openapi(route, async (c) =>
    c.json(await cloneCampaign(tenantContext(c), c.req.valid("param").id, c.req.valid("json") ?? {}), 201),
  );
}
