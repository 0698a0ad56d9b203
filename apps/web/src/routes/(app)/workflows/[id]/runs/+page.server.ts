import { error } from "@sveltejs/kit";
import { executionStatuses } from "$lib/workflows/statuses";
import { callApi } from "$lib/server/forms";
import type { Execution, ExecutionStatus, Page } from "$lib/workflows/types";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals, params, url }) => {
  const asked = url.searchParams.get("status") as ExecutionStatus | null;
  const status = asked && executionStatuses.includes(asked) ? asked : null;
  const query = new URLSearchParams({ limit: "25" });
  if (status) query.set("status", status);
  const result = await callApi<Page<Execution>>(
    locals.api,
    `/api/v1/workflows/${encodeURIComponent(params.id)}/executions?${query}`,
  );
  if (!result.ok)
    error(result.status >= 500 ? 503 : result.status, result.problem?.detail ?? "The runs could not be loaded.");
  return { status, executions: result.data };
};
