import { error } from "@sveltejs/kit";
import { callApi } from "$lib/server/forms";

/**
 * Page data from the API for a settings page: the answer, or the API's refusal (403: the
 * person's role may not see this) as a message for the page. Other failures are the error page.
 */
export async function loadSection<T>(
  locals: App.Locals,
  path: string,
): Promise<{ data: T; refused: null } | { data: null; refused: string }> {
  const result = await callApi<T>(locals.api, path);
  if (result.ok) return { data: result.data, refused: null };
  const detail = result.problem?.detail ?? result.problem?.title ?? `The CRM service answered ${result.status}.`;
  if (result.status === 403) return { data: null, refused: detail };
  error(result.status >= 500 ? 503 : result.status, detail);
}
