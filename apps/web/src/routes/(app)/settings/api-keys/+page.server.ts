import { loadSection } from "$lib/settings/api.server";
import type { ApiKey, Page } from "$lib/settings/types";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals }) => ({
  keys: await loadSection<Page<ApiKey>>(locals, "/api/v1/api-keys?limit=100"),
});
