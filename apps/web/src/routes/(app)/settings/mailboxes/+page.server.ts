import type { Mailbox, Page } from "$lib/outreach/types";
import { loadSection } from "$lib/settings/api.server";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals }) => ({
  mailboxes: await loadSection<Page<Mailbox>>(locals, "/api/v1/mailboxes?limit=100"),
});
