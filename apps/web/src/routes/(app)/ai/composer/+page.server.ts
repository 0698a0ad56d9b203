import type { ContactOption, MailboxOption, TemplateOption } from "$lib/ai/composer";
import type { TemplateStats } from "$lib/ai/content-stats";
import { callApi } from "$lib/server/forms";
import type { PageServerLoad } from "./$types";

interface SequenceWithSteps {
  id: string;
  name: string;
  status: string;
  steps: { id: string; position: number; channel: string; variants: { key: string; subject: string | null }[] }[];
}

/**
 * What the composer offers: the tenant's sequence steps as templates, its mailboxes for sending,
 * the contact named in `?contactId=` (from a score breakdown's "Write to" link), and how each
 * template does (usage, reply rate, ratings), best first.
 * Sequences and mailboxes the caller may not read are simply not offered.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
  const contactId = url.searchParams.get("contactId");
  const [sequences, mailboxes, contact, templateStats] = await Promise.all([
    callApi<{ data: SequenceWithSteps[] }>(locals.api, "/api/v1/sequences?limit=100"),
    callApi<{ data: MailboxOption[] }>(locals.api, "/api/v1/mailboxes?limit=100"),
    contactId ? callApi<ContactOption>(locals.api, `/api/v1/contacts/${encodeURIComponent(contactId)}`) : null,
    callApi<TemplateStats>(locals.api, "/api/v1/ai/content/templates"),
  ]);
  const templates: TemplateOption[] = sequences.ok
    ? sequences.data.data.flatMap((sequence) =>
        sequence.steps.flatMap((step) =>
          step.variants.map((variant) => ({
            stepId: step.id,
            variantKey: variant.key,
            channel: step.channel,
            label: `${sequence.name} · step ${step.position}${step.variants.length > 1 ? ` · variant ${variant.key}` : ""}${variant.subject ? ` · “${variant.subject}”` : ""}`,
          })),
        ),
      )
    : [];
  return {
    templates,
    mailboxes: mailboxes.ok ? mailboxes.data.data : [],
    contact: contact?.ok ? contact.data : null,
    templateStats: templateStats.ok ? templateStats.data : null,
  };
};
