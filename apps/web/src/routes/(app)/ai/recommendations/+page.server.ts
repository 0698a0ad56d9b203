import { error } from "@sveltejs/kit";
import { callApi } from "$lib/server/forms";
import { isRecommendationFilter, pendingFirst, type RecommendationPage } from "$lib/ai/recommendations";
import type { PageServerLoad } from "./$types";

/** The recommendations inbox: pending ones by default, highest priority first. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const raw = url.searchParams.get("status") ?? "pending";
  const status = isRecommendationFilter(raw) ? raw : "pending";
  const params = new URLSearchParams({ limit: "50" });
  if (status !== "all") params.set("status", status);
  const page = await callApi<RecommendationPage>(locals.api, `/api/v1/ai/recommendations?${params}`);
  if (!page.ok)
    error(page.status >= 500 ? 503 : page.status, page.problem?.detail ?? "Recommendations could not be loaded.");
  return { status, recommendations: { ...page.data, data: pendingFirst(page.data.data) } };
};
