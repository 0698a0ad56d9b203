import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { getWebhook } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { WebhookSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/webhooks/{id}",
  operationId: "getWebhook",
  summary: "One webhook",
  tags: ["Webhooks"],
  ...access({ scope: "webhooks:read", role: "admin" }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "The webhook", content: { "application/json": { schema: WebhookSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerGetWebhook(app: App): void {
  app.openapi(route, async (c) => c.json(await getWebhook(tenantContext(c), c.req.valid("param").id), 200));
}
