import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { createWebhook, urlPolicyFor } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { CreateWebhookBodySchema, WebhookWithSecretSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/webhooks",
  operationId: "createWebhook",
  summary: "Subscribe a URL to events (owner/admin). The signing secret is in this response only.",
  description:
    "Events are POSTed as JSON signed per the Standard Webhooks spec (`webhook-id`, `webhook-timestamp`, " +
    "`webhook-signature`). Outside development the URL must be https and must not point to a private, " +
    "loopback, link-local, CGNAT or multicast address (422 at `body.url`).",
  tags: ["Webhooks"],
  ...access({ scope: "webhooks:write", role: "admin" }),
  request: { body: { required: true, content: { "application/json": { schema: CreateWebhookBodySchema } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: WebhookWithSecretSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerCreateWebhook(app: App): void {
  app.openapi(route, async (c) =>
    c.json(await createWebhook(tenantContext(c), c.req.valid("json"), urlPolicyFor(c.env.ENVIRONMENT)), 201),
  );
}
