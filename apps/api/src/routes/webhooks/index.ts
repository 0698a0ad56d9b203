import type { App } from "../../app";
import { registerCreateWebhook } from "./create";
import { registerDeleteWebhook } from "./delete";
import { registerWebhookDeliveryRoutes } from "./deliveries";
import { registerGetWebhook } from "./get";
import { registerListWebhooks } from "./list";
import { registerRedeliverWebhookDelivery } from "./redeliver";
import { registerRotateWebhookSecret } from "./rotate-secret";
import { registerSendWebhookTestEvent } from "./test-event";
import { registerUpdateWebhook } from "./update";

export function registerWebhookRoutes(app: App): void {
  registerCreateWebhook(app);
  registerListWebhooks(app);
  registerGetWebhook(app);
  registerUpdateWebhook(app);
  registerDeleteWebhook(app);
  registerRotateWebhookSecret(app);
  registerSendWebhookTestEvent(app);
  registerWebhookDeliveryRoutes(app);
  registerRedeliverWebhookDelivery(app);
}
