import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { createTestDelivery } from "@crm/services";
import type { App } from "../../app";
import { enqueueDelivery } from "../../jobs/webhook-jobs";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { WebhookDeliverySchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/webhooks/{id}/test",
  operationId: "sendWebhookTestEvent",
  summary: "Send a `webhook.test` event to the webhook now (owner/admin)",
  description: "Sent even to a disabled webhook; follow it in the delivery log.",
  tags: ["Webhooks"],
  ...access({ scope: "webhooks:write", role: "admin" }),
  request: { params: IdParamSchema },
  responses: {
    202: { description: "Queued", content: { "application/json": { schema: WebhookDeliverySchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerSendWebhookTestEvent(app: App): void {
  app.openapi(route, async (c) => {
    const ctx = tenantContext(c);
    const delivery = await createTestDelivery(ctx, c.req.valid("param").id);
    await enqueueDelivery(c.env.JOBS, { tenantId: ctx.tenant.id, deliveryId: delivery.id, attempt: 1, manual: true });
    return c.json(delivery, 202);
  });
}
