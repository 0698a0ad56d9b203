import { loadEditorLookups } from "$lib/outreach/server";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals }) => loadEditorLookups(locals);
