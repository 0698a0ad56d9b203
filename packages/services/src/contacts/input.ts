import {
  companies,
  type consentStatuses,
  type EmailAddress,
  type LifecycleStage,
  newId,
  type PhoneNumber,
  type PostalAddress,
} from "@crm/db";
import { ApiError, type FieldError } from "@crm/errors";
import { type CustomFieldValue, normalizeEmail, normalizeTags, validateCustomFields } from "@crm/records";
import { eq } from "drizzle-orm";
import type { TenantContext } from "../context";
import { customFieldDefinitionsFor } from "../records/custom-fields";
import { assertOwnerIsMember, defaultOwnerId } from "../records/owners";
import { type ContactRow, sortNameFor } from "./public";

export type ConsentStatus = (typeof consentStatuses)[number];

/** The writable fields of a contact, as a create, a PATCH or a bulk update gives them. */
export interface ContactInput {
  firstName?: string | null;
  lastName?: string | null;
  emails?: { address: string; primary?: boolean; label?: string | null }[];
  phones?: { number: string; label?: string | null }[];
  title?: string | null;
  companyId?: string | null;
  lifecycleStage?: LifecycleStage;
  leadStatus?: string | null;
  source?: string | null;
  ownerId?: string | null;
  tags?: string[];
  consent?: { status: ConsentStatus; source?: string | null };
  doNotContact?: boolean;
  timeZone?: string | null;
  address?: PostalAddress | null;
  socialLinks?: Record<string, string>;
  customFields?: Record<string, unknown>;
}

/** Input after normalisation and every check that does not depend on the row it lands on. */
export interface CheckedContactInput extends Omit<ContactInput, "emails" | "phones" | "customFields"> {
  emails?: EmailAddress[];
  phones?: PhoneNumber[];
  customFields?: Record<string, CustomFieldValue>;
}

/** Lower-cased addresses, no repeats, exactly one primary (the first, when none is marked). */
function normalizeEmails(
  input: NonNullable<ContactInput["emails"]>,
  path: string,
  errors: FieldError[],
): EmailAddress[] {
  const emails = input.map((e) => {
    const label = e.label?.trim();
    return { address: normalizeEmail(e.address), primary: e.primary === true, ...(label ? { label } : {}) };
  });
  const seen = new Set<string>();
  emails.forEach((e, i) => {
    if (seen.has(e.address))
      errors.push({ path: `${path}.${i}.address`, message: "This address is listed more than once" });
    seen.add(e.address);
  });
  const primaries = emails.filter((e) => e.primary).length;
  if (primaries > 1) errors.push({ path, message: "Exactly one email can be primary" });
  if (primaries === 0 && emails[0]) emails[0].primary = true;
  return emails;
}

/** The canonical IANA name (`europe/paris` → `Europe/Paris`), or null if Intl does not know it. */
export function canonicalTimeZone(zone: string): string | null {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/**
 * Normalises and checks what does not depend on the target row: email rules, the time
 * zone, custom fields against the tenant's definitions (required ones only when
 * creating), and that the company and owner exist in the tenant. Every problem is
 * reported at once, as a 422 with field paths under `prefix`.
 */
export async function checkContactInput(
  ctx: TenantContext,
  input: ContactInput,
  options: { prefix: string; creating: boolean },
): Promise<CheckedContactInput> {
  const { prefix } = options;
  const errors: FieldError[] = [];
  const { emails, phones, customFields, ...rest } = input;
  const checked: CheckedContactInput = { ...rest };
  if (emails) checked.emails = normalizeEmails(emails, `${prefix}.emails`, errors);
  if (phones)
    checked.phones = phones.map((p) => ({
      number: p.number.trim(),
      ...(p.label?.trim() ? { label: p.label.trim() } : {}),
    }));
  if (input.tags) checked.tags = normalizeTags(input.tags);
  if (input.timeZone) {
    const zone = canonicalTimeZone(input.timeZone);
    if (zone) checked.timeZone = zone;
    else errors.push({ path: `${prefix}.timeZone`, message: "Must be an IANA time zone such as Europe/Paris" });
  }
  if (customFields !== undefined || options.creating) {
    const definitions = await customFieldDefinitionsFor(ctx, "contact");
    const result = validateCustomFields(definitions, customFields, {
      partial: !options.creating,
      pathPrefix: `${prefix}.customFields`,
    });
    errors.push(...result.issues);
    // A patch: null clears a field on update; on create only the values given are kept.
    checked.customFields = options.creating ? result.values : { ...(customFields as Record<string, CustomFieldValue>) };
  }
  if (input.companyId) {
    const company = await ctx.db.findFirst(companies, eq(companies.id, input.companyId));
    if (!company) errors.push({ path: `${prefix}.companyId`, message: "No company in this organization has this id" });
  }
  if (input.ownerId) {
    try {
      await assertOwnerIsMember(ctx, input.ownerId, `${prefix}.ownerId`);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      errors.push(...(error.errors ?? []));
    }
  }
  if (errors.length > 0) throw new ApiError("VALIDATION_FAILED", "The contact has invalid fields", { errors });
  return checked;
}

export interface LifecycleChange {
  from: LifecycleStage | null;
  to: LifecycleStage;
}

/** A new contact before any input: unowned unless a person creates it. */
export function blankContact(ctx: TenantContext, now: Date): ContactRow {
  return {
    id: newId("contact"),
    tenantId: ctx.tenant.id,
    firstName: null,
    lastName: null,
    sortName: "",
    emails: [],
    primaryEmail: null,
    phones: [],
    title: null,
    companyId: null,
    lifecycleStage: null,
    lifecycleStageChangedAt: null,
    leadStatus: null,
    source: null,
    ownerId: defaultOwnerId(ctx),
    tags: [],
    consentStatus: "unknown",
    consentChangedAt: null,
    consentSource: null,
    doNotContact: false,
    timeZone: null,
    address: null,
    socialLinks: {},
    customFields: {},
    createdAt: now,
    updatedAt: now,
  };
}

const blankToNull = (value: string | null | undefined) => (value?.trim() ? value.trim() : null);

/** The row after applying checked input; stamps the lifecycle and consent times when they change. */
export function applyContactInput(
  before: ContactRow,
  input: CheckedContactInput,
  now: Date,
  prefix: string,
): { row: ContactRow; lifecycleChange: LifecycleChange | null } {
  const row: ContactRow = { ...before, updatedAt: now };
  if (input.firstName !== undefined) row.firstName = blankToNull(input.firstName);
  if (input.lastName !== undefined) row.lastName = blankToNull(input.lastName);
  if (input.emails) {
    row.emails = input.emails;
    row.primaryEmail = input.emails.find((e) => e.primary)?.address ?? null;
  }
  if (input.phones) row.phones = input.phones;
  if (input.title !== undefined) row.title = blankToNull(input.title);
  if (input.companyId !== undefined) row.companyId = input.companyId;
  if (input.leadStatus !== undefined) row.leadStatus = blankToNull(input.leadStatus);
  if (input.source !== undefined) row.source = blankToNull(input.source);
  if (input.ownerId !== undefined) row.ownerId = input.ownerId;
  if (input.tags) row.tags = input.tags;
  if (input.doNotContact !== undefined) row.doNotContact = input.doNotContact;
  if (input.timeZone !== undefined) row.timeZone = input.timeZone;
  if (input.address !== undefined) row.address = input.address;
  if (input.socialLinks) row.socialLinks = input.socialLinks;
  if (input.customFields) {
    const merged = { ...before.customFields };
    for (const [key, value] of Object.entries(input.customFields)) {
      if (value === null) delete merged[key];
      else merged[key] = value;
    }
    row.customFields = merged;
  }
  if (input.consent) {
    if (input.consent.status !== before.consentStatus || before.consentChangedAt === null) {
      row.consentStatus = input.consent.status;
      row.consentChangedAt = now;
      row.consentSource = blankToNull(input.consent.source);
    } else if (input.consent.source !== undefined) {
      row.consentSource = blankToNull(input.consent.source);
    }
  }
  let lifecycleChange: LifecycleChange | null = null;
  if (input.lifecycleStage && input.lifecycleStage !== before.lifecycleStage) {
    lifecycleChange = { from: before.lifecycleStage, to: input.lifecycleStage };
    row.lifecycleStage = input.lifecycleStage;
    row.lifecycleStageChangedAt = now;
  }
  row.sortName = sortNameFor(row);
  if (!row.firstName && !row.lastName && !row.primaryEmail) {
    throw new ApiError("VALIDATION_FAILED", "A contact needs a first name, a last name or an email", {
      errors: [{ path: `${prefix}.firstName`, message: "Give a first name, a last name or an email" }],
    });
  }
  return { row, lifecycleChange };
}

/** The columns a write sets (all but the key and the tenant). */
export function contactColumns(row: ContactRow) {
  const { id: _id, tenantId: _tenantId, createdAt: _createdAt, ...columns } = row;
  return columns;
}
