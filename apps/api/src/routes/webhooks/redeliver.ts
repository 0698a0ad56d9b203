import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { redeliverWebhookDelivery } from "@crm/services";
import type { App } from "../../app";
import { enqueueDelivery } from "../../jobs/webhook-jobs";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { DeliveryParamsSchema, WebhookDeliverySchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver",
  operationId: "redeliverWebhookDelivery",
  summary: "Send a delivery again now, once, with the same `webhook-id` (owner/admin)",
  tags: ["Webhooks"],
  ...access({ scope: "webhooks:write", role: "admin" }),
  request: { params: DeliveryParamsSchema },
  responses: {
    202: { description: "Queued", content: { "application/json": { schema: WebhookDeliverySchema } } },
    ...openApiErrorResponses([409]),
  },
});

export function registerRedeliverWebhookDelivery(app: App): void {
  app.openapi(route, async (c) => {
    const ctx = tenantContext(c);
    const { id, deliveryId } = c.req.valid("param");
    const { delivery, attempt } = await redeliverWebhookDelivery(ctx, id, deliveryId);
    await enqueueDelivery(c.env.JOBS, { tenantId: ctx.tenant.id, deliveryId, attempt, manual: true });
    return c.json(delivery, 202);
  });
}
