import { error } from "@sveltejs/kit";
import type { AiModel, ScoreDistribution } from "$lib/ai/scores";
import { callApi } from "$lib/server/forms";
import type { PageServerLoad } from "./$types";

/** The score distributions (lead score and churn) and the organization's models, read at once. */
export const load: PageServerLoad = async ({ locals }) => {
  const [leads, churn, models] = await Promise.all([
    callApi<ScoreDistribution>(locals.api, "/api/v1/ai/scores/distribution?kind=lead_score"),
    callApi<ScoreDistribution>(locals.api, "/api/v1/ai/scores/distribution?kind=churn"),
    callApi<{ data: AiModel[] }>(locals.api, "/api/v1/ai/models?limit=20"),
  ]);
  for (const result of [leads, churn, models])
    if (!result.ok)
      error(
        result.status >= 500 ? 503 : result.status,
        result.problem?.detail ?? "The AI overview could not be loaded.",
      );
  return {
    leads: leads.ok ? leads.data : null,
    churn: churn.ok ? churn.data : null,
    models: models.ok ? models.data.data : [],
  };
};
