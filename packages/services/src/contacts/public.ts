import type { contacts } from "@crm/db";
import { isoTime } from "../iso-time";

export type ContactRow = typeof contacts.$inferSelect;

const iso = (date: Date | null) => (date ? isoTime(date) : null);

/** A contact as the API shows it: camelCase, ISO-8601 times, always `tags` and `customFields`. */
export function publicContact(row: ContactRow) {
  return {
    id: row.id,
    firstName: row.firstName,
    lastName: row.lastName,
    emails: row.emails.map((e) => ({ address: e.address, primary: e.primary, label: e.label ?? null })),
    phones: row.phones.map((p) => ({ number: p.number, label: p.label ?? null })),
    title: row.title,
    companyId: row.companyId,
    lifecycleStage: row.lifecycleStage,
    lifecycleStageChangedAt: iso(row.lifecycleStageChangedAt),
    leadStatus: row.leadStatus,
    source: row.source,
    ownerId: row.ownerId,
    tags: row.tags,
    consent: { status: row.consentStatus, changedAt: iso(row.consentChangedAt), source: row.consentSource },
    doNotContact: row.doNotContact,
    timeZone: row.timeZone,
    address: row.address ?? null,
    socialLinks: row.socialLinks,
    customFields: row.customFields,
    createdAt: isoTime(row.createdAt),
    updatedAt: isoTime(row.updatedAt),
  };
}
export type PublicContact = ReturnType<typeof publicContact>;

/** The name sort key: "last first", lower-cased; the primary email when there is no name. */
export function sortNameFor(row: Pick<ContactRow, "firstName" | "lastName" | "primaryEmail">): string {
  const name = [row.lastName, row.firstName]
    .filter((part) => part && part.trim())
    .join(" ")
    .trim();
  return (name || row.primaryEmail || "").toLowerCase();
}

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

/**
 * What full-text search sees of a contact: names, every email, phones (also as bare digits,
 * so "5550102345" finds "+1 (555) 010-2345"), title and the company's name.
 */
export function contactSearchText(row: ContactRow, companyName: string | null): string {
  const phones = row.phones.flatMap((p) => {
    const digits = p.number.replace(/\D/g, "");
    return digits.length > 10 ? [p.number, digits, digits.slice(-10)] : [p.number, digits];
  });
  return [row.firstName, row.lastName, ...row.emails.map((e) => e.address), ...phones, row.title, companyName]
    .filter((part): part is string => !!part)
    .map(oneLine)
    .join(" ");
}
