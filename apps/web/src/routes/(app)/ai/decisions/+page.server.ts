import { error } from "@sveltejs/kit";
import type { AgentMode, DecisionPage, StuckDealReview } from "$lib/ai/decisions";
import { callApi } from "$lib/server/forms";
import type { PageServerLoad } from "./$types";

const filterNames = ["type", "outcome", "dealId"] as const;

/** The decision log (with the URL's filters), the agent's mode and the current stuck-deal review. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const filters = Object.fromEntries(filterNames.map((name) => [name, url.searchParams.get(name) ?? ""])) as Record<
    (typeof filterNames)[number],
    string
  >;
  const query = new URLSearchParams({ limit: "25" });
  for (const [key, value] of Object.entries(filters)) if (value) query.set(key, value);
  const [decisions, settings, stuck] = await Promise.all([
    callApi<DecisionPage>(locals.api, `/api/v1/ai/agent/decisions?${query}`),
    callApi<{ agent: { mode: AgentMode } }>(locals.api, "/api/v1/ai/settings"),
    callApi<StuckDealReview>(locals.api, "/api/v1/ai/agent/stuck-deals"),
  ]);
  if (!decisions.ok)
    error(
      decisions.status >= 500 ? 503 : decisions.status,
      decisions.problem?.detail ?? "The decision log could not be loaded.",
    );
  return {
    filters,
    decisions: decisions.data,
    mode: settings.ok ? settings.data.agent.mode : ("off" as AgentMode),
    stuck: stuck.ok ? stuck.data : null,
  };
};
