import { loadBuilderLookups } from "$lib/workflows/server";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals }) => loadBuilderLookups(locals);
