import { loadSection } from "$lib/settings/api.server";
import type { Member, Page } from "$lib/settings/types";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals }) => ({
  members: await loadSection<Page<Member>>(locals, "/api/v1/members?limit=200"),
});
