import { error } from "@sveltejs/kit";
import type { CampaignComparison } from "$lib/campaigns/types";
import { callApi } from "$lib/server/forms";
import type { PageServerLoad } from "./$types";

/** Two to ten campaigns side by side (`?ids=a,b`). */
export const load: PageServerLoad = async ({ locals, url }) => {
  const ids = url.searchParams.get("ids") ?? "";
  const comparison = await callApi<CampaignComparison>(
    locals.api,
    `/api/v1/campaigns/compare?ids=${encodeURIComponent(ids)}`,
  );
  if (!comparison.ok) {
    const message = comparison.problem?.errors?.[0]?.message ?? comparison.problem?.detail;
    error(comparison.status >= 500 ? 503 : comparison.status, message ?? "The campaigns could not be compared.");
  }
  return { comparison: comparison.data };
};
