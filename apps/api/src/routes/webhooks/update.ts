import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { updateWebhook, urlPolicyFor } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { UpdateWebhookBodySchema, WebhookSchema } from "./schema";

const route = createRoute({
  method: "patch",
  path: "/api/v1/webhooks/{id}",
  operationId: "updateWebhook",
  summary: "Change a webhook's URL, event types, description or active flag (owner/admin)",
  tags: ["Webhooks"],
  ...access({ scope: "webhooks:write", role: "admin" }),
  request: {
    params: IdParamSchema,
    body: { required: true, content: { "application/json": { schema: UpdateWebhookBodySchema } } },
  },
  responses: {
    200: { description: "The webhook as changed", content: { "application/json": { schema: WebhookSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerUpdateWebhook(app: App): void {
  app.openapi(route, async (c) =>
    c.json(
      await updateWebhook(
        tenantContext(c),
        c.req.valid("param").id,
        c.req.valid("json"),
        urlPolicyFor(c.env.ENVIRONMENT),
      ),
      200,
    ),
  );
}
