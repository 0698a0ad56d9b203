import { error } from "@sveltejs/kit";
import { callApi } from "$lib/server/forms";
import type { Import } from "$lib/imports/types";
import type { Page } from "$lib/settings/types";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals }) => {
  const result = await callApi<Page<Import>>(locals.api, "/api/v1/imports?limit=50");
  if (result.ok) return { imports: result.data, refused: null };
  const detail = result.problem?.detail ?? "Imports could not be loaded.";
  // A role or key without imports:read sees why, not an error page.
  if (result.status === 403) return { imports: { data: [], nextCursor: null }, refused: detail };
  error(result.status >= 500 ? 503 : result.status, detail);
};
