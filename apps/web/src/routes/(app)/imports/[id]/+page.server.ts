import { error } from "@sveltejs/kit";
import { callApi } from "$lib/server/forms";
import type { Import } from "$lib/imports/types";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals, params }) => {
  const result = await callApi<Import>(locals.api, `/api/v1/imports/${encodeURIComponent(params.id)}`);
  if (!result.ok) {
    const detail = result.problem?.detail ?? "The import could not be loaded.";
    error(result.status === 404 ? 404 : result.status >= 500 ? 503 : result.status, detail);
  }
  return { job: result.data };
};
