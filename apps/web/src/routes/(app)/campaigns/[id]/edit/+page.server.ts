import { error } from "@sveltejs/kit";
import { loadSequenceOptions } from "$lib/campaigns/server";
import type { Campaign } from "$lib/campaigns/types";
import { callApi } from "$lib/server/forms";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals, params }) => {
  const [campaign, sequences] = await Promise.all([
    callApi<Campaign>(locals.api, `/api/v1/campaigns/${params.id}`),
    loadSequenceOptions(locals),
  ]);
  if (!campaign.ok)
    error(campaign.status >= 500 ? 503 : campaign.status, campaign.problem?.detail ?? "Campaign not found.");
  return { campaign: campaign.data, sequences };
};
