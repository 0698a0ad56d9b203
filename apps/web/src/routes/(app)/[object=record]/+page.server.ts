import { error } from "@sveltejs/kit";
import { callApi } from "$lib/server/forms";
import { requireMe } from "$lib/server/guards";
import { objects, type CustomFieldDef, type RecordPage } from "$lib/records/objects";
import { apiQuery, readListState } from "$lib/records/list/list-query";
import type { Member, Pipeline, SavedView } from "$lib/records/list/types";
import type { PageServerLoad } from "./$types";

/**
 * The first page of a list with everything its cells name (members, stages, custom fields) and
 * the saved views: one round of parallel API calls, so the table arrives with the HTML. Titles of
 * linked records (a contact's company) are fetched by the browser afterwards, once per record
 * (see linked-records.svelte.ts), so they never hold up the table.
 */
export const load: PageServerLoad = async ({ locals, url, params }) => {
  requireMe(locals, url);
  const def = objects[params.object];
  const state = readListState(def, url.searchParams);
  const [list, members, customFields, views, pipelines] = await Promise.all([
    callApi<RecordPage>(locals.api, `/api/v1/${def.path}?${apiQuery(def, state)}`),
    callApi<{ data: Member[] }>(locals.api, "/api/v1/members?limit=200"),
    callApi<{ data: CustomFieldDef[] }>(locals.api, `/api/v1/custom-fields?objectType=${def.type}`),
    callApi<{ data: SavedView[] }>(locals.api, `/api/v1/views?objectType=${def.type}&limit=200`),
    // Deals name their pipeline and stage; the other objects never do.
    def.key === "deals"
      ? callApi<{ data: Pipeline[] }>(locals.api, "/api/v1/pipelines?limit=200")
      : Promise.resolve({ ok: true as const, data: { data: [] as Pipeline[] } }),
  ]);
  for (const lookup of [members, customFields, views, pipelines]) {
    if (!lookup.ok)
      error(lookup.status >= 500 ? 503 : lookup.status, lookup.problem?.detail ?? "The CRM service failed.");
  }
  // A filter the API refuses (a hand-edited URL) is shown above an empty table, not as an error page.
  if (!list.ok && list.status !== 400 && list.status !== 422) {
    error(list.status >= 500 ? 503 : list.status, list.problem?.detail ?? "The CRM service failed.");
  }
  const page: RecordPage = list.ok ? list.data : { data: [], nextCursor: null };
  const refusal = list.ok
    ? null
    : [list.problem?.detail, ...(list.problem?.errors ?? []).map((entry) => `${entry.path}: ${entry.message}`)]
        .filter(Boolean)
        .join(" ");

  return {
    object: def.key,
    page,
    refusal,
    members: members.ok ? members.data.data : [],
    customFields: customFields.ok ? customFields.data.data : [],
    views: views.ok ? views.data.data : [],
    pipelines: pipelines.ok ? pipelines.data.data : [],
  };
};
