import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { getWebhookDelivery, listWebhookDeliveries } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import {
  DeliveryListQuerySchema,
  DeliveryParamsSchema,
  WebhookDeliveryPageSchema,
  WebhookDeliverySchema,
} from "./schema";

const listRoute = createRoute({
  method: "get",
  path: "/api/v1/webhooks/{id}/deliveries",
  operationId: "listWebhookDeliveries",
  summary: "A webhook's delivery log, newest first: each event with every attempt",
  description:
    "Each attempt shows its status code, duration, the first 1 KB of the answer, the error and the next " +
    "retry time. Retries follow 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (eight attempts over about 28 " +
    "hours); 400, 401, 403, 404, 405 and 410 are not retried; a 429 waits for its Retry-After.",
  tags: ["Webhooks"],
  ...access({ scope: "webhooks:read", role: "admin" }),
  request: { params: IdParamSchema, query: DeliveryListQuerySchema },
  responses: {
    200: {
      description: "A page of deliveries",
      content: { "application/json": { schema: WebhookDeliveryPageSchema } },
    },
    ...openApiErrorResponses(),
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/api/v1/webhooks/{id}/deliveries/{deliveryId}",
  operationId: "getWebhookDelivery",
  summary: "One delivery with its attempts",
  tags: ["Webhooks"],
  ...access({ scope: "webhooks:read", role: "admin" }),
  request: { params: DeliveryParamsSchema },
  responses: {
    200: { description: "The delivery", content: { "application/json": { schema: WebhookDeliverySchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerWebhookDeliveryRoutes(app: App): void {
  app.openapi(listRoute, async (c) =>
    c.json(await listWebhookDeliveries(tenantContext(c), c.req.valid("param").id, c.req.valid("query")), 200),
  );
  app.openapi(getRoute, async (c) => {
    const { id, deliveryId } = c.req.valid("param");
    return c.json(await getWebhookDelivery(tenantContext(c), id, deliveryId), 200);
  });
}
