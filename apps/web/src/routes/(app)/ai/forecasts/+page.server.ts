import { callApi } from "$lib/server/forms";
import { requireMe } from "$lib/server/guards";
import { isMetric, type Forecast, type ForecastMetric } from "$lib/ai/forecasts";
import type { Page, Pipeline } from "$lib/pipeline/types";
import type { PageServerLoad } from "./$types";

/**
 * The forecast chosen in the URL (metric, period, horizon, pipeline), read server-side so the
 * chart's numbers are in the first paint. A refusal from the API (a horizon out of range, say)
 * is shown on the page with the API's words rather than as an error page.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
  requireMe(locals, url);
  const asked = url.searchParams.get("metric");
  const metric: ForecastMetric = isMetric(asked) ? asked : "revenue";
  const period = url.searchParams.get("period") ?? "month";
  const horizon = url.searchParams.get("horizon") ?? "6";
  const pipelineId = url.searchParams.get("pipelineId") ?? "";
  const query = new URLSearchParams({ period, horizon });
  const dealsMetric = metric === "revenue" || metric === "deal-closures";
  if (dealsMetric && pipelineId) query.set("pipelineId", pipelineId);
  const [forecast, pipelines] = await Promise.all([
    callApi<Forecast>(locals.api, `/api/v1/ai/forecasts/${metric}?${query}`),
    dealsMetric ? callApi<Page<Pipeline>>(locals.api, "/api/v1/pipelines?limit=200") : null,
  ]);
  return {
    choice: { metric, period, horizon, pipelineId: dealsMetric ? pipelineId : "" },
    forecast: forecast.ok ? forecast.data : null,
    refusal: forecast.ok
      ? null
      : {
          detail: forecast.problem?.detail ?? `The CRM service answered ${forecast.status}.`,
          errors: forecast.problem?.errors ?? [],
        },
    pipelines: pipelines?.ok ? pipelines.data.data.map(({ id, name }) => ({ id, name })) : [],
  };
};
