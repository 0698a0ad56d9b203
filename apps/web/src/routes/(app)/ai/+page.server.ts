import { error } from "@sveltejs/kit";
import type { AiModel, RescoreJob, ScoreDistribution } from "$lib/ai/scores";
import { callApi } from "$lib/server/forms";
import type { PageServerLoad } from "./$types";

/**
 * The score distributions (contacts' lead scores and churn risks, leads' lead scores), the
 * organization's models and its latest rescoring job (whoever or whatever started it), read at once.
 */
export const load: PageServerLoad = async ({ locals }) => {
  const [leads, leadRecords, churn, models, rescores] = await Promise.all([
    callApi<ScoreDistribution>(locals.api, "/api/v1/ai/scores/distribution?kind=lead_score"),
    callApi<ScoreDistribution>(locals.api, "/api/v1/ai/scores/distribution?kind=lead_score&recordType=lead"),
    callApi<ScoreDistribution>(locals.api, "/api/v1/ai/scores/distribution?kind=churn"),
    callApi<{ data: AiModel[] }>(locals.api, "/api/v1/ai/models?limit=20"),
    callApi<{ data: RescoreJob[] }>(locals.api, "/api/v1/ai/rescore?limit=1"),
  ]);
  for (const result of [leads, leadRecords, churn, models, rescores])
    if (!result.ok)
      error(
        result.status >= 500 ? 503 : result.status,
        result.problem?.detail ?? "The AI overview could not be loaded.",
      );
  return {
    leads: leads.ok ? leads.data : null,
    leadRecords: leadRecords.ok ? leadRecords.data : null,
    churn: churn.ok ? churn.data : null,
    models: models.ok ? models.data.data : [],
    lastRescore: rescores.ok ? (rescores.data.data[0] ?? null) : null,
  };
};
