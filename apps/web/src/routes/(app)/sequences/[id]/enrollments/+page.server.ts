import { error } from "@sveltejs/kit";
import type { Enrollment, Page } from "$lib/outreach/types";
import { callApi } from "$lib/server/forms";
import type { PageServerLoad } from "./$types";

/** The sequence's enrollments, newest first, optionally narrowed by status. */
export const load: PageServerLoad = async ({ locals, params, url }) => {
  const status = url.searchParams.get("status") ?? "";
  const query = new URLSearchParams({ limit: "50" });
  if (status) query.set("status", status);
  const result = await callApi<Page<Enrollment>>(
    locals.api,
    `/api/v1/sequences/${encodeURIComponent(params.id)}/enrollments?${query}`,
  );
  if (!result.ok)
    error(result.status >= 500 ? 503 : result.status, result.problem?.detail ?? "Enrollments could not be loaded.");
  return { status, enrollments: result.data };
};
