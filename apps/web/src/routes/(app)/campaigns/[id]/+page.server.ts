import { error } from "@sveltejs/kit";
import { callApi } from "$lib/server/forms";
import type { Campaign, CampaignAnalytics, CampaignTimeSeries, SequenceOption } from "$lib/campaigns/types";
import type { PageServerLoad } from "./$types";

/** The campaign, its analytics and its days since it started (7 to 30 of them), in one round of calls. */
export const load: PageServerLoad = async ({ locals, params }) => {
  const campaign = await callApi<Campaign>(locals.api, `/api/v1/campaigns/${params.id}`);
  if (!campaign.ok)
    error(campaign.status >= 500 ? 503 : campaign.status, campaign.problem?.detail ?? "Campaign not found.");
  const today = new Date();
  const monthAgo = new Date(today.getTime() - 29 * 86_400_000);
  const weekAgo = new Date(today.getTime() - 6 * 86_400_000);
  // From the start, but at least a week (a line needs days to run across) and at most 30 days.
  const started = campaign.data.startedAt ? new Date(campaign.data.startedAt) : today;
  const first = started < weekAgo ? started : weekAgo;
  const from = (first > monthAgo ? first : monthAgo).toISOString().slice(0, 10);
  const [analytics, series, sequence] = await Promise.all([
    callApi<CampaignAnalytics>(locals.api, `/api/v1/campaigns/${params.id}/analytics`),
    callApi<CampaignTimeSeries>(
      locals.api,
      `/api/v1/campaigns/${params.id}/timeseries?from=${from}&to=${today.toISOString().slice(0, 10)}`,
    ),
    callApi<SequenceOption>(locals.api, `/api/v1/sequences/${campaign.data.sequenceId}`),
  ]);
  if (!analytics.ok) error(503, analytics.problem?.detail ?? "Analytics could not be loaded.");
  return {
    campaign: campaign.data,
    analytics: analytics.data,
    series: series.ok ? series.data : null,
    sequenceName: sequence.ok ? sequence.data.name : null,
  };
};
