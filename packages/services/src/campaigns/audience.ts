import { type CampaignAudience, consentStatuses, contacts, lifecycleStages, type sequences } from "@crm/db";
import { ApiError, type FieldError } from "@crm/errors";
import { inArray } from "drizzle-orm";
import { type ContactListFilters, listContacts } from "../contacts/list";
import type { TenantContext } from "../context";
import { customFieldFiltersFrom } from "../records/list-filters";
import { enrollContacts } from "../outreach/enrollments";

/** The GET /contacts filter names an audience may use (plus `cf.<key>` custom-field filters). */
export const audienceFilterNames = [
  "q",
  "ownerId",
  "tag",
  "createdFrom",
  "createdTo",
  "updatedFrom",
  "updatedTo",
  "lifecycleStage",
  "leadStatus",
  "source",
  "companyId",
  "consentStatus",
  "doNotContact",
] as const;

const isoDateTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/;

/**
 * The audience as listContacts takes it, with every problem at `body.audience.<name>`.
 * The same names and values as the contact list's query, so an audience is a saved list view.
 */
export function audienceFilters(audience: CampaignAudience): { filters: ContactListFilters; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const filters: ContactListFilters = {};
  const at = (name: string, message: string) => errors.push({ path: `body.audience.${name}`, message });
  const one = (name: string): string | undefined => {
    const value = audience[name];
    if (value === undefined) return undefined;
    if (typeof value !== "string") {
      at(name, "Must be one value");
      return undefined;
    }
    return value;
  };
  for (const name of Object.keys(audience)) {
    if (!(audienceFilterNames as readonly string[]).includes(name) && !name.startsWith("cf.")) {
      at(name, `Not a contact filter; use ${audienceFilterNames.join(", ")} or cf.<key>`);
    }
  }
  filters.q = one("q");
  filters.ownerId = one("ownerId");
  filters.leadStatus = one("leadStatus");
  filters.source = one("source");
  filters.companyId = one("companyId");
  const tag = audience.tag;
  if (tag !== undefined) filters.tags = Array.isArray(tag) ? tag : [tag];
  for (const name of ["createdFrom", "createdTo", "updatedFrom", "updatedTo"] as const) {
    const value = one(name);
    if (value === undefined) continue;
    if (!isoDateTime.test(value) || Number.isNaN(Date.parse(value))) at(name, "Must be an ISO 8601 date-time");
    else filters[name] = new Date(value);
  }
  const stage = one("lifecycleStage");
  if (stage !== undefined) {
    if ((lifecycleStages as readonly string[]).includes(stage))
      filters.lifecycleStage = stage as ContactListFilters["lifecycleStage"];
    else at("lifecycleStage", `Must be one of ${lifecycleStages.join(", ")}`);
  }
  const consent = one("consentStatus");
  if (consent !== undefined) {
    if ((consentStatuses as readonly string[]).includes(consent))
      filters.consentStatus = consent as ContactListFilters["consentStatus"];
    else at("consentStatus", `Must be one of ${consentStatuses.join(", ")}`);
  }
  const dnc = one("doNotContact");
  if (dnc !== undefined) {
    if (dnc === "true" || dnc === "false") filters.doNotContact = dnc === "true";
    else at("doNotContact", "Must be true or false");
  }
  const customFields: [string, string][] = [];
  for (const [name, value] of Object.entries(audience)) {
    if (!name.startsWith("cf.")) continue;
    if (typeof value === "string") customFields.push([name, value]);
    else at(name, "Must be one value");
  }
  filters.customFields = customFieldFiltersFrom(customFields);
  return { filters, errors };
}

/** Validates an audience against the tenant (custom fields, values): 422 at `body.audience.<name>`. */
export async function checkAudience(ctx: TenantContext, audience: CampaignAudience): Promise<ContactListFilters> {
  const { filters, errors } = audienceFilters(audience);
  if (errors.length > 0) throw new ApiError("VALIDATION_FAILED", "The audience has invalid filters", { errors });
  try {
    // One row read: the list checks custom-field keys and values against the tenant's definitions.
    await listContacts(ctx, filters, { limit: 1 });
  } catch (error) {
    if (error instanceof ApiError && error.errors) {
      throw new ApiError("VALIDATION_FAILED", "The audience has invalid filters", {
        errors: error.errors.map((e) => ({ ...e, path: e.path.replace(/^query\./, "body.audience.") })),
      });
    }
    throw error;
  }
  return filters;
}

/** Every contact the audience matches (and the caller may see), newest first. */
export async function audienceContactIds(ctx: TenantContext, filters: ContactListFilters): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await listContacts(ctx, filters, { limit: 200, cursor });
    for (const contact of page.data) ids.push(contact.id);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return ids;
}

export interface AudienceEnrollment {
  enrolled: number;
  alreadyEnrolled: number;
  skipped: { contactId: string; reason: "do_not_contact" | "opted_out" }[];
}

/**
 * Enrolls the campaign's contacts in its sequence through the sequences' enrollContacts
 * (source `campaign`, carrying the campaign id): contacts already live in the sequence stay as
 * they are; do-not-contact and opted-out ones are left out of the audience with their reason
 * (the send pipeline would only skip them at every step).
 */
export async function enrollAudience(
  ctx: TenantContext,
  input: { campaignId: string; sequence: typeof sequences.$inferSelect; contactIds: string[]; now: Date },
): Promise<AudienceEnrollment> {
  const result: AudienceEnrollment = { enrolled: 0, alreadyEnrolled: 0, skipped: [] };
  const eligible: string[] = [];
  // D1 binds at most 100 parameters: ids go 90 at a time.
  for (let i = 0; i < input.contactIds.length; i += 90) {
    const chunk = input.contactIds.slice(i, i + 90);
    const people = new Map(
      (await ctx.db.findMany(contacts, { where: inArray(contacts.id, chunk) })).map((c) => [c.id, c]),
    );
    for (const contactId of chunk) {
      const contact = people.get(contactId);
      if (!contact) continue;
      if (contact.doNotContact) result.skipped.push({ contactId, reason: "do_not_contact" });
      else if (contact.consentStatus === "opted_out") result.skipped.push({ contactId, reason: "opted_out" });
      else eligible.push(contactId);
    }
  }
  const enrolled = await enrollContacts(ctx, {
    sequenceId: input.sequence.id,
    contactIds: eligible,
    source: "campaign",
    campaignId: input.campaignId,
    now: input.now,
  });
  for (const r of enrolled) {
    if (r.result === "enrolled") result.enrolled += 1;
    else if (r.result === "already_enrolled") result.alreadyEnrolled += 1;
    else if (r.reason === "sequence_has_no_steps")
      throw new ApiError("CONFLICT", `Sequence ${input.sequence.id} has no steps to send`);
  }
  return result;
}
