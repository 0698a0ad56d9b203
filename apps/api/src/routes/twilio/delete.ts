import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { deleteTwilioAccount } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";

const route = createRoute({
  method: "delete",
  path: "/api/v1/outreach/twilio",
  operationId: "deleteTwilioAccount",
  summary: "Remove the tenant's Twilio settings (owner/admin): SMS, WhatsApp and call steps are then skipped",
  tags: ["Mailboxes"],
  ...access({ scope: "outreach:write", role: "admin" }),
  responses: {
    204: { description: "Removed" },
    ...openApiErrorResponses(),
  },
});

export function registerDeleteTwilioAccount(app: App): void {
  app.openapi(route, async (c) => {
    await deleteTwilioAccount(tenantContext(c));
    return c.body(null, 204);
  });
}
