import { error } from "@sveltejs/kit";
import { callApi } from "$lib/server/forms";
import { requireMe } from "$lib/server/guards";
import { objects, type RecordPage } from "$lib/records/objects";
import { apiQuery, readListState } from "$lib/records/list/list-query";
import type { PageServerLoad } from "./$types";

/**
 * The first page of the list for the URL's search, filters and sort, rendered with the HTML (no
 * spinner). The layout beside it loads what the cells name. Titles of linked records (a contact's
 * company) are fetched by the browser afterwards, once per record (linked-records.svelte.ts), so
 * they never hold up the table.
 */
export const load: PageServerLoad = async ({ locals, url, params }) => {
  requireMe(locals, url);
  const def = objects[params.object];
  const state = readListState(def, url.searchParams);
  const list = await callApi<RecordPage>(locals.api, `/api/v1/${def.path}?${apiQuery(def, state)}`);
  // A filter the API refuses (a hand-edited URL) is shown above an empty table, not as an error page.
  if (!list.ok && list.status !== 400 && list.status !== 422) {
    error(list.status >= 500 ? 503 : list.status, list.problem?.detail ?? "The CRM service failed.");
  }
  const refusal = list.ok
    ? null
    : [list.problem?.detail, ...(list.problem?.errors ?? []).map((entry) => `${entry.path}: ${entry.message}`)]
        .filter(Boolean)
        .join(" ");
  return { object: def.key, page: list.ok ? list.data : { data: [], nextCursor: null }, refusal };
};
