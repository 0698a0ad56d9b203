import { error } from "@sveltejs/kit";
import { callApi } from "$lib/server/forms";
import type { ApiFetch } from "$lib/server/api";

/** GET from the API for a page load: the API's refusal becomes the error page with its message. */
export async function apiGet<T>(api: ApiFetch, path: string): Promise<T> {
  const result = await callApi<T>(api, path);
  if (result.ok) return result.data;
  const status = result.status >= 400 && result.status < 600 ? result.status : 502;
  error(status, result.problem?.detail ?? `The CRM service answered ${result.status}.`);
}

/**
 * Most names a board load looks up. The board answers deals with company and contact ids
 * only, and the API has no lookup by many ids, so each name is one GET: bounded here, the
 * highest-value cards first, to keep a board load well inside the person's rate limit.
 */
export const maxNameLookups = 40;

/**
 * Company names (or, for deals without a company, contact names) by record id, for the cards.
 * Streamed to the page after the board: a missing name never holds up the first paint.
 */
export async function relatedNames(
  api: ApiFetch,
  deals: { companyId: string | null; contactId: string | null; value: number }[],
): Promise<Record<string, string>> {
  const wanted = new Map<string, "companies" | "contacts">();
  for (const deal of [...deals].sort((a, b) => b.value - a.value)) {
    if (wanted.size >= maxNameLookups) break;
    if (deal.companyId) wanted.set(deal.companyId, "companies");
    else if (deal.contactId) wanted.set(deal.contactId, "contacts");
  }
  const names: Record<string, string> = {};
  await Promise.all(
    [...wanted].map(async ([id, kind]) => {
      const result = await callApi<{ name?: string; firstName?: string | null; lastName?: string | null }>(
        api,
        `/api/v1/${kind}/${encodeURIComponent(id)}`,
      );
      if (!result.ok) return; // Deleted or not visible to this person: the card shows no name.
      const record = result.data;
      const name = kind === "companies" ? record.name : [record.firstName, record.lastName].filter(Boolean).join(" ");
      if (name) names[id] = name;
    }),
  );
  return names;
}
