import { callApi } from "$lib/server/forms";
import type { Page, SequenceOption } from "./types";

/**
 * The sequences a campaign may send. Before the sequences API answers (or when it fails) the
 * form shows none and says to create one.
 */
export async function loadSequenceOptions(locals: App.Locals): Promise<SequenceOption[]> {
  const sequences = await callApi<Page<SequenceOption>>(locals.api, "/api/v1/sequences?limit=200");
  return sequences.ok ? sequences.data.data.filter((s) => s.status !== "archived") : [];
}
