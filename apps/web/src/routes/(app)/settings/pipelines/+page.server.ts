import { loadSection } from "$lib/settings/api.server";
import type { Page, Pipeline } from "$lib/settings/types";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals, url }) => ({
  selectedId: url.searchParams.get("id"),
  pipelines: await loadSection<Page<Pipeline>>(locals, "/api/v1/pipelines?limit=200"),
});
