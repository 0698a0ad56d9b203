import { error } from "@sveltejs/kit";
import { callApi } from "$lib/server/forms";
import type { Member, Pipeline } from "$lib/records/list/types";
import type { CustomFieldDef } from "$lib/records/objects";
import type { Page, WorkflowVersion } from "$lib/workflows/types";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals, params }) => {
  const [versions, members, customFields, pipelines] = await Promise.all([
    callApi<{ data: WorkflowVersion[] }>(locals.api, `/api/v1/workflows/${encodeURIComponent(params.id)}/versions`),
    callApi<Page<Member>>(locals.api, "/api/v1/members?limit=200"),
    callApi<Page<CustomFieldDef>>(locals.api, "/api/v1/custom-fields"),
    callApi<Page<Pipeline>>(locals.api, "/api/v1/pipelines?limit=200"),
  ]);
  if (!versions.ok)
    error(
      versions.status >= 500 ? 503 : versions.status,
      versions.problem?.detail ?? "The versions could not be loaded.",
    );
  return {
    versions: versions.data.data,
    members: members.ok ? members.data.data : [],
    customFields: customFields.ok ? customFields.data.data : [],
    pipelines: pipelines.ok ? pipelines.data.data : [],
  };
};
