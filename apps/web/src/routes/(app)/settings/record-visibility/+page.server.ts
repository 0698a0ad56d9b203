import { loadSection } from "$lib/settings/api.server";
import type { RecordVisibility } from "$lib/settings/types";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals }) => ({
  visibility: await loadSection<RecordVisibility>(locals, "/api/v1/settings/record-visibility"),
});
