import type { Page, Suppression } from "$lib/outreach/types";
import { loadSection } from "$lib/settings/api.server";
import type { PageServerLoad } from "./$types";

/** The suppression list, newest first. */
export const load: PageServerLoad = async ({ locals }) => ({
  suppressions: await loadSection<Page<Suppression>>(locals, "/api/v1/suppressions?limit=50"),
});
