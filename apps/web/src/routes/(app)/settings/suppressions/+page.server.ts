import type { Page, Suppression } from "$lib/outreach/types";
import { loadSection } from "$lib/settings/api.server";
import type { PageServerLoad } from "./$types";

/** The suppression list, newest first; `address` looks one address up (exact, case-insensitive). */
export const load: PageServerLoad = async ({ locals, url }) => {
  const address = url.searchParams.get("address")?.trim() ?? "";
  const query = new URLSearchParams({ limit: "50" });
  if (address) query.set("address", address);
  return { address, suppressions: await loadSection<Page<Suppression>>(locals, `/api/v1/suppressions?${query}`) };
};
