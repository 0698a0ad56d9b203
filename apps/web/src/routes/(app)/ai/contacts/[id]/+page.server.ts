import { error } from "@sveltejs/kit";
import type { ContactOption } from "$lib/ai/composer";
import type { Score, ScoreBreakdown } from "$lib/ai/scores";
import { callApi } from "$lib/server/forms";
import type { PageServerLoad } from "./$types";

/**
 * A contact's lead score breakdown (a read stores nothing: a never-scored contact is computed for the view), and for customers their churn risk;
 * the churn answer's refusal (no churn model yet) is shown as it is.
 */
export const load: PageServerLoad = async ({ locals, params }) => {
  const id = encodeURIComponent(params.id);
  const [contact, score] = await Promise.all([
    callApi<ContactOption>(locals.api, `/api/v1/contacts/${id}`),
    callApi<ScoreBreakdown>(locals.api, `/api/v1/contacts/${id}/score`),
  ]);
  if (!contact.ok) error(contact.status >= 500 ? 503 : contact.status, contact.problem?.detail ?? "Contact not found.");
  if (!score.ok)
    error(score.status >= 500 ? 503 : score.status, score.problem?.detail ?? "The score could not be read.");
  let churn: { risk: Score | null; refusal: string | null } | null = null;
  if (contact.data.lifecycleStage === "customer") {
    const risk = await callApi<Score>(locals.api, `/api/v1/contacts/${id}/churn-risk`);
    churn = risk.ok
      ? { risk: risk.data, refusal: null }
      : { risk: null, refusal: risk.problem?.detail ?? "The churn risk could not be read." };
  }
  return { contact: contact.data, score: score.data, churn };
};
