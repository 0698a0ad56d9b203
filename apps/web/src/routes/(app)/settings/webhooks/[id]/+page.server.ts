import { error } from "@sveltejs/kit";
import { callApi } from "$lib/server/forms";
import type { Page } from "$lib/settings/types";
import type { Webhook, WebhookDelivery } from "$lib/webhooks/types";
import type { PageServerLoad } from "./$types";

const deliveryPageSize = 25;

export const load: PageServerLoad = async ({ locals, params }) => {
  const id = encodeURIComponent(params.id);
  const [webhook, deliveries] = await Promise.all([
    callApi<Webhook>(locals.api, `/api/v1/webhooks/${id}`),
    callApi<Page<WebhookDelivery>>(locals.api, `/api/v1/webhooks/${id}/deliveries?limit=${deliveryPageSize}`),
  ]);
  for (const result of [webhook, deliveries]) {
    if (!result.ok) {
      const detail = result.problem?.detail ?? "The webhook could not be loaded.";
      error(result.status >= 500 ? 503 : result.status, detail);
    }
  }
  if (!webhook.ok || !deliveries.ok) error(503, "The webhook could not be loaded.");
  return { webhook: webhook.data, deliveries: deliveries.data, deliveryPageSize };
};
