import { error } from "@sveltejs/kit";
import { callApi } from "$lib/server/forms";
import type { Workflow } from "$lib/workflows/types";
import type { LayoutServerLoad } from "./$types";

/** The workflow every tab (builder, runs, versions) is about; another tenant's id is a 404. */
export const load: LayoutServerLoad = async ({ locals, params }) => {
  const result = await callApi<Workflow>(locals.api, `/api/v1/workflows/${encodeURIComponent(params.id)}`);
  if (!result.ok) {
    error(result.status >= 500 ? 503 : result.status, result.problem?.detail ?? "The workflow could not be loaded.");
  }
  return { workflow: result.data };
};
