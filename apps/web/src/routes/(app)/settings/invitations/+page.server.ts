import { loadSection } from "$lib/settings/api.server";
import type { Invitation, Page } from "$lib/settings/types";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals }) => ({
  invitations: await loadSection<Page<Invitation>>(locals, "/api/v1/invitations?limit=100"),
});
