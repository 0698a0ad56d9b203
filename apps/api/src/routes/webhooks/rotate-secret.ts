import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { rotateWebhookSecret } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { WebhookWithSecretSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/webhooks/{id}/rotate-secret",
  operationId: "rotateWebhookSecret",
  summary: "Replace the signing secret (owner/admin); the old one keeps signing for 24 hours",
  description:
    "During the overlap `webhook-signature` carries two `v1,<signature>` entries, one per secret, so a " +
    "receiver verifies with either. The new secret is in this response only.",
  tags: ["Webhooks"],
  ...access({ scope: "webhooks:write", role: "admin" }),
  request: { params: IdParamSchema },
  responses: {
    200: {
      description: "The webhook with its new secret",
      content: { "application/json": { schema: WebhookWithSecretSchema } },
    },
    ...openApiErrorResponses(),
  },
});

export function registerRotateWebhookSecret(app: App): void {
  app.openapi(route, async (c) => c.json(await rotateWebhookSecret(tenantContext(c), c.req.valid("param").id), 200));
}
