import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { updateCampaign } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { CampaignSchema, UpdateCampaignBodySchema } from "./schema";

const route = createRoute({
  method: "patch",
  path: "/api/v1/campaigns/{id}",
  operationId: "updateCampaign",
  summary: "Change a campaign: name, description and goal at any time; sequence and audience while a draft",
  description:
    "Changing a started campaign's sequence or audience is refused with 422 at `body.sequenceId` / `body.audience`.",
  tags: ["Campaigns"],
  ...access({ scope: "campaigns:write" }),
  request: {
    params: IdParamSchema,
    body: { required: true, content: { "application/json": { schema: UpdateCampaignBodySchema } } },
  },
  responses: {
    200: { description: "The campaign as changed", content: { "application/json": { schema: CampaignSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerUpdateCampaign(app: App): void {
  app.openapi(route, async (c) =>
    c.json(await updateCampaign(tenantContext(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );
}
