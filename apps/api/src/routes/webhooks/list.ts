import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { listWebhooks } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { PageQuerySchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { WebhookPageSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/webhooks",
  operationId: "listWebhooks",
  summary: "List the tenant's webhooks, newest first (never their secrets)",
  tags: ["Webhooks"],
  ...access({ scope: "webhooks:read", role: "admin" }),
  request: { query: PageQuerySchema },
  responses: {
    200: { description: "A page of webhooks", content: { "application/json": { schema: WebhookPageSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerListWebhooks(app: App): void {
  app.openapi(route, async (c) => c.json(await listWebhooks(tenantContext(c), c.req.valid("query")), 200));
}
