import { error } from "@sveltejs/kit";
import { callApi } from "$lib/server/forms";
import { requireMe } from "$lib/server/guards";
import { objects, type CustomFieldDef } from "$lib/records/objects";
import type { Member, Pipeline, SavedView } from "$lib/records/list/types";
import type { LayoutServerLoad } from "./$types";

/**
 * What a list's cells and controls name: members, custom fields, saved views and (for deals)
 * pipelines. A layout of the list page alone (the `(list)` group): it reads no query string, so
 * searching, filtering and sorting re-run only the page's list call, not these. On a first visit
 * it runs in parallel with the page's load.
 */
export const load: LayoutServerLoad = async ({ locals, url, params }) => {
  requireMe(locals, url);
  const def = objects[params.object];
  const [members, customFields, views, pipelines] = await Promise.all([
    callApi<{ data: Member[] }>(locals.api, "/api/v1/members?limit=200"),
    callApi<{ data: CustomFieldDef[] }>(locals.api, `/api/v1/custom-fields?objectType=${def.type}`),
    callApi<{ data: SavedView[] }>(locals.api, `/api/v1/views?objectType=${def.type}&limit=200`),
    // Deals name their pipeline and stage; the other objects never do.
    def.key === "deals"
      ? callApi<{ data: Pipeline[] }>(locals.api, "/api/v1/pipelines?limit=200")
      : Promise.resolve({ ok: true as const, data: { data: [] as Pipeline[] } }),
  ]);
  for (const lookup of [members, customFields, views, pipelines]) {
    if (!lookup.ok) {
      error(lookup.status >= 500 ? 503 : lookup.status, lookup.problem?.detail ?? "The CRM service failed.");
    }
  }
  return {
    members: members.ok ? members.data.data : [],
    customFields: customFields.ok ? customFields.data.data : [],
    views: views.ok ? views.data.data : [],
    pipelines: pipelines.ok ? pipelines.data.data : [],
  };
};
