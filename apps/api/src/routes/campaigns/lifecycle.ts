import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { pauseCampaign, resumeCampaign, startCampaign } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { CampaignSchema, StartCampaignResultSchema } from "./schema";

const startRoute = createRoute({
  method: "post",
  path: "/api/v1/campaigns/{id}/start",
  operationId: "startCampaign",
  summary: "Start a draft: enroll every contact its audience matches now in its sequence",
  description:
    "Contacts already live in the sequence stay as they are (`alreadyEnrolled`); do-not-contact and " +
    "opted-out contacts are skipped with their reason. 409 when the campaign is not a draft, its sequence " +
    "is gone, archived or has no steps, or the audience matches nobody.",
  tags: ["Campaigns"],
  ...access({ scope: "campaigns:write" }),
  request: { params: IdParamSchema },
  responses: {
    200: {
      description: "Started",
      content: { "application/json": { schema: StartCampaignResultSchema } },
    },
    ...openApiErrorResponses([409]),
  },
});

const switchRoute = (pause: boolean) =>
  createRoute({
    method: "post",
    path: `/api/v1/campaigns/{id}/${pause ? "pause" : "resume"}`,
    operationId: pause ? "pauseCampaign" : "resumeCampaign",
    summary: pause
      ? "Pause a running campaign and its active enrollments (nothing more is sent)"
      : "Resume a paused campaign and the enrollments its pause paused; overdue steps are due at once",
    tags: ["Campaigns"],
    ...access({ scope: "campaigns:write" }),
    request: { params: IdParamSchema },
    responses: {
      200: { description: "The campaign", content: { "application/json": { schema: CampaignSchema } } },
      ...openApiErrorResponses([409]),
    },
  });

export function registerCampaignLifecycle(app: App): void {
  app.openapi(startRoute, async (c) => c.json(await startCampaign(tenantContext(c), c.req.valid("param").id), 200));
  app.openapi(switchRoute(true), async (c) =>
    c.json(await pauseCampaign(tenantContext(c), c.req.valid("param").id), 200),
  );
  app.openapi(switchRoute(false), async (c) =>
    c.json(await resumeCampaign(tenantContext(c), c.req.valid("param").id), 200),
  );
}
