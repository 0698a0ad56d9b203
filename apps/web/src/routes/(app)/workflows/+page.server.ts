import { error } from "@sveltejs/kit";
import { callApi } from "$lib/server/forms";
import type { Pipeline } from "$lib/records/list/types";
import type { CustomFieldDef } from "$lib/records/objects";
import type { Page, Workflow } from "$lib/workflows/types";
import type { PageServerLoad } from "./$types";

/** The tenant's workflows (newest first), and the stages and custom fields their triggers name. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const q = url.searchParams.get("q")?.trim() ?? "";
  const params = new URLSearchParams({ limit: "50" });
  if (q) params.set("q", q);
  const [workflows, pipelines, customFields] = await Promise.all([
    callApi<Page<Workflow>>(locals.api, `/api/v1/workflows?${params}`),
    callApi<Page<Pipeline>>(locals.api, "/api/v1/pipelines?limit=200"),
    callApi<Page<CustomFieldDef>>(locals.api, "/api/v1/custom-fields"),
  ]);
  if (!workflows.ok)
    error(
      workflows.status >= 500 ? 503 : workflows.status,
      workflows.problem?.detail ?? "Workflows could not be loaded.",
    );
  return {
    q,
    workflows: workflows.data,
    pipelines: pipelines.ok ? pipelines.data.data : [],
    customFields: customFields.ok ? customFields.data.data : [],
  };
};
