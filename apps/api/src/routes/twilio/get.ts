import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { getTwilioAccount } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { TwilioAccountSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/outreach/twilio",
  operationId: "getTwilioAccount",
  summary: "The tenant's Twilio settings for SMS, WhatsApp and call steps (404 when not configured)",
  tags: ["Mailboxes"],
  ...access({ scope: "outreach:read", role: "admin" }),
  responses: {
    200: { description: "The settings, without the auth token", content: { "application/json": { schema: TwilioAccountSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerGetTwilioAccount(app: App): void {
  app.openapi(route, async (c) => c.json(await getTwilioAccount(tenantContext(c)), 200));
}
