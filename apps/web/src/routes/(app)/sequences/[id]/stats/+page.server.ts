import { error } from "@sveltejs/kit";
import type { SequenceStats } from "$lib/outreach/types";
import { callApi } from "$lib/server/forms";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals, params }) => {
  const result = await callApi<SequenceStats>(locals.api, `/api/v1/sequences/${encodeURIComponent(params.id)}/stats`);
  if (!result.ok)
    error(result.status >= 500 ? 503 : result.status, result.problem?.detail ?? "The statistics could not be loaded.");
  return { stats: result.data };
};
