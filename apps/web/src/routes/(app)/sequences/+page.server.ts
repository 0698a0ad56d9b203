import { error } from "@sveltejs/kit";
import { callApi } from "$lib/server/forms";
import type { Page, Sequence } from "$lib/outreach/types";
import type { PageServerLoad } from "./$types";

/** The tenant's sequences, newest first, optionally narrowed by status. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const status = url.searchParams.get("status") ?? "";
  const params = new URLSearchParams({ limit: "50" });
  if (status) params.set("status", status);
  const result = await callApi<Page<Sequence>>(locals.api, `/api/v1/sequences?${params}`);
  if (!result.ok)
    error(result.status >= 500 ? 503 : result.status, result.problem?.detail ?? "Sequences could not be loaded.");
  return { status, sequences: result.data };
};
