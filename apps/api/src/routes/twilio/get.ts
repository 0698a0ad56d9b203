import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { getTwilioSettings } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { TwilioSettingsSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/outreach/twilio",
  operationId: "getTwilioSettings",
  summary: "The tenant's Twilio settings for SMS, WhatsApp and call steps",
  tags: ["Mailboxes"],
  ...access({ scope: "outreach:read", role: "admin" }),
  responses: {
    200: {
      description: "The settings (never the auth token)",
      content: { "application/json": { schema: TwilioSettingsSchema } },
    },
    ...openApiErrorResponses(),
  },
});

export function registerGetTwilioAccount(app: App): void {
  app.openapi(route, async (c) => c.json(await getTwilioSettings(tenantContext(c)), 200));
}
