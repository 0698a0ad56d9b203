import { loadSection } from "$lib/settings/api.server";
import type { Page } from "$lib/settings/types";
import type { Webhook } from "$lib/webhooks/types";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals }) => ({
  webhooks: await loadSection<Page<Webhook>>(locals, "/api/v1/webhooks?limit=100"),
});
