import { loadSequenceOptions } from "$lib/campaigns/server";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals }) => ({ sequences: await loadSequenceOptions(locals) });
