import { error } from "@sveltejs/kit";
import { callApi } from "$lib/server/forms";
import type { CustomFieldDef } from "$lib/records/objects";
import type { Member, Pipeline } from "$lib/records/list/types";
import type { Page } from "./types";

/** What the builder's pickers offer: members, every object's custom fields, pipelines and stages. */
export async function loadBuilderLookups(locals: App.Locals) {
  const [members, customFields, pipelines] = await Promise.all([
    callApi<Page<Member>>(locals.api, "/api/v1/members?limit=200"),
    callApi<Page<CustomFieldDef>>(locals.api, "/api/v1/custom-fields"),
    callApi<Page<Pipeline>>(locals.api, "/api/v1/pipelines?limit=200"),
  ]);
  for (const lookup of [members, customFields, pipelines]) {
    if (!lookup.ok)
      error(lookup.status >= 500 ? 503 : lookup.status, lookup.problem?.detail ?? "The CRM service failed.");
  }
  return {
    members: members.ok ? members.data.data : [],
    customFields: customFields.ok ? customFields.data.data : [],
    pipelines: pipelines.ok ? pipelines.data.data : [],
  };
}
