import { error } from "@sveltejs/kit";
import { callApi } from "$lib/server/forms";
import type { Execution } from "$lib/workflows/types";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals, params, depends }) => {
  depends("workflow:execution");
  const path = `/api/v1/workflows/${encodeURIComponent(params.id)}/executions/${encodeURIComponent(params.executionId)}`;
  const result = await callApi<Execution>(locals.api, path);
  if (!result.ok)
    error(result.status >= 500 ? 503 : result.status, result.problem?.detail ?? "The run could not be loaded.");
  return { execution: result.data };
};
