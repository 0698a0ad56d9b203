import { error } from "@sveltejs/kit";
import type { CustomFieldDef } from "$lib/records/objects";
import { callApi } from "$lib/server/forms";
import type { Mailbox, Page } from "./types";

/** What the sequence editor offers: the tenant's mailboxes and the contact custom fields tokens can name. */
export async function loadEditorLookups(locals: App.Locals) {
  const [mailboxes, customFields] = await Promise.all([
    callApi<Page<Mailbox>>(locals.api, "/api/v1/mailboxes?limit=100"),
    callApi<Page<CustomFieldDef>>(locals.api, "/api/v1/custom-fields?objectType=contact"),
  ]);
  if (!customFields.ok)
    error(
      customFields.status >= 500 ? 503 : customFields.status,
      customFields.problem?.detail ?? "The CRM service failed.",
    );
  return {
    // Members may not list mailboxes (an admin setting): the editor then offers the default only.
    mailboxes: mailboxes.ok ? mailboxes.data.data : [],
    contactFields: customFields.data.data
      .filter((field) => field.objectType === "contact")
      .sort((a, b) => a.position - b.position)
      .map((field) => ({ key: field.key, label: field.label })),
  };
}
