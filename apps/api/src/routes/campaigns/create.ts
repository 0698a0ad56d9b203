import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { createCampaign } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { CampaignSchema, CreateCampaignBodySchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/campaigns",
  operationId: "createCampaign",
  summary: "Create a campaign (a draft): a sequence, an audience and a goal",
  description:
    "422 at the field at fault for: a sequence that does not exist in the tenant or is archived " +
    "(`body.sequenceId`), an audience filter that is not a contact filter or has a bad value, or a custom " +
    "field key the tenant lacks (`body.audience.<name>`).",
  tags: ["Campaigns"],
  ...access({ scope: "campaigns:write" }),
  request: { body: { required: true, content: { "application/json": { schema: CreateCampaignBodySchema } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: CampaignSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerCreateCampaign(app: App): void {
  app.openapi(route, async (c) => c.json(await createCampaign(tenantContext(c), c.req.valid("json")), 201));
}
