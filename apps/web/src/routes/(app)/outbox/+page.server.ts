import { error } from "@sveltejs/kit";
import type { OutreachMessage, Page, Sequence } from "$lib/outreach/types";
import { callApi } from "$lib/server/forms";
import type { PageServerLoad } from "./$types";

/** Outreach messages (sent, queued, failed, skipped), newest first, with the list's filters. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const filters = {
    status: url.searchParams.get("status") ?? "",
    sequenceId: url.searchParams.get("sequenceId") ?? "",
    contactId: url.searchParams.get("contactId") ?? "",
  };
  const query = new URLSearchParams({ limit: "50" });
  for (const [key, value] of Object.entries(filters)) if (value) query.set(key, value);
  const [messages, sequences] = await Promise.all([
    callApi<Page<OutreachMessage>>(locals.api, `/api/v1/outreach/messages?${query}`),
    callApi<Page<Sequence>>(locals.api, "/api/v1/sequences?limit=100"),
  ]);
  if (!messages.ok)
    error(
      messages.status >= 500 ? 503 : messages.status,
      messages.problem?.detail ?? "The outbox could not be loaded.",
    );
  return {
    filters,
    messages: messages.data,
    sequences: sequences.ok ? sequences.data.data.map((s) => ({ id: s.id, name: s.name, steps: s.steps })) : [],
  };
};
