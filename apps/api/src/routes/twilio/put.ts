import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { putTwilioAccount, urlPolicyFor } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { PutTwilioAccountBodySchema, TwilioSettingsSchema } from "./schema";

const route = createRoute({
  method: "put",
  path: "/api/v1/outreach/twilio",
  operationId: "putTwilioAccount",
  summary: "Set the tenant's Twilio account (owner/admin); the auth token is write-only",
  tags: ["Mailboxes"],
  ...access({ scope: "outreach:write", role: "admin" }),
  request: { body: { required: true, content: { "application/json": { schema: PutTwilioAccountBodySchema } } } },
  responses: {
    200: { description: "The settings as stored", content: { "application/json": { schema: TwilioSettingsSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerPutTwilioAccount(app: App): void {
  app.openapi(route, async (c) =>
    c.json(
      await putTwilioAccount(tenantContext(c), c.req.valid("json"), {
        secretsKey: c.env.SECRETS_KEY,
        urlPolicy: urlPolicyFor(c.env.ENVIRONMENT),
      }),
      200,
    ),
  );
}
