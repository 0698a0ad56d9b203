import { error } from "@sveltejs/kit";
import { callApi } from "$lib/server/forms";
import type { Campaign, CampaignStatus, Page } from "$lib/campaigns/types";
import type { PageServerLoad } from "./$types";

const statuses: CampaignStatus[] = ["draft", "running", "paused", "completed"];

/** The tenant's campaigns, newest first, searched by name and filtered by status. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const q = url.searchParams.get("q")?.trim() ?? "";
  const rawStatus = url.searchParams.get("status") ?? "";
  const status = (statuses as string[]).includes(rawStatus) ? (rawStatus as CampaignStatus) : "";
  const params = new URLSearchParams({ limit: "50" });
  if (q) params.set("q", q);
  if (status) params.set("status", status);
  const campaigns = await callApi<Page<Campaign>>(locals.api, `/api/v1/campaigns?${params}`);
  if (!campaigns.ok)
    error(
      campaigns.status >= 500 ? 503 : campaigns.status,
      campaigns.problem?.detail ?? "Campaigns could not be loaded.",
    );
  return { q, status, campaigns: campaigns.data };
};
