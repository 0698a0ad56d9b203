import { error } from "@sveltejs/kit";
import type { Sequence } from "$lib/outreach/types";
import { callApi } from "$lib/server/forms";
import type { LayoutServerLoad } from "./$types";

/** The sequence both tabs (steps, enrollments) are about; another tenant's id is a 404. */
export const load: LayoutServerLoad = async ({ locals, params }) => {
  const result = await callApi<Sequence>(locals.api, `/api/v1/sequences/${encodeURIComponent(params.id)}`);
  if (!result.ok)
    error(result.status >= 500 ? 503 : result.status, result.problem?.detail ?? "The sequence could not be loaded.");
  return { sequence: result.data };
};
