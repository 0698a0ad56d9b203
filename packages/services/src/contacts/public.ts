import { contacts, type EmailAddress, type PhoneNumber } from "@crm/db";
import { getTableColumns } from "drizzle-orm";
import { isoTime, isoTimeOfMs } from "../iso-time";

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

/** Where each column's value sits in a contact read as values (TenantDb.findManyValues). */
export type ContactValueIndex = Record<keyof ContactRow, number>;

/** Where each of `keys` sits in a contact read as those columns' values, in that order. */
export const valueIndexOf = (keys: readonly (keyof ContactRow)[]) =>
  Object.fromEntries(keys.map((key, i) => [key, i])) as ContactValueIndex;

/**
 * The columns publicContactJsonOfValues writes, in the table's order: all but the tenant id,
 * the name sort key and the normalised primary email, which the API does not show.
 */
export const contactJsonColumns = (Object.keys(getTableColumns(contacts)) as (keyof ContactRow)[]).filter(
  (key) => key !== "tenantId" && key !== "sortName" && key !== "primaryEmail",
);

/**
 * A string JSON.stringify writes as it is between quotes: no quote, backslash, control
 * character or surrogate (JSON.stringify escapes a lone one; pairs are left to it too).
 */
// eslint-disable-next-line no-control-regex -- the control characters JSON.stringify escapes
const plainText = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;
const jsonText = (value: unknown) =>
  typeof value === "string" && plainText.test(value)
    ? `"${value}"`
    : value === null || value === undefined
      ? "null"
      : JSON.stringify(value);

/** The last time written: a row's times are often one instant (created = updated). */
let lastTime = { ms: Number.NaN, json: "" };
const timeJson = (ms: unknown) => {
  if (typeof ms !== "number") return "null";
  if (ms !== lastTime.ms) lastTime = { ms, json: `"${isoTimeOfMs(ms)}"` };
  return lastTime.json;
};

/** A JSON string with no escape in it: its text is what JSON.stringify writes for its value. */
const plainString = String.raw`"[^"\\\u0000-\u001f]*"`;
/**
 * Emails and phones as the contact writer stores them (input.ts: these keys in this order, the
 * label only when there is one) with plain strings: their public JSON is that text with
 * `"label":null` added where the label is missing. Anything else is parsed and written again.
 */
const storedEmails = new RegExp(
  String.raw`^\[(?:\{"address":${plainString},"primary":(?:true|false)(?:,"label":${plainString})?\}(?:,(?=\{)|\]$))+$`,
);
const storedPhones = new RegExp(
  String.raw`^\[(?:\{"number":${plainString}(?:,"label":${plainString})?\}(?:,(?=\{)|\]$))+$`,
);

const emailsJson = (stored: string) => {
  if (stored === "[]") return stored;
  if (storedEmails.test(stored)) return stored.replace(/"primary":(true|false)\}/g, '"primary":$1,"label":null}');
  return JSON.stringify(
    (JSON.parse(stored) as EmailAddress[]).map((e) => ({
      address: e.address,
      primary: e.primary,
      label: e.label ?? null,
    })),
  );
};
const phonesJson = (stored: string) => {
  if (stored === "[]") return stored;
  if (storedPhones.test(stored)) return stored.replace(/("number":"[^"]*")\}/g, '$1,"label":null}');
  return JSON.stringify(
    (JSON.parse(stored) as PhoneNumber[]).map((p) => ({ number: p.number, label: p.label ?? null })),
  );
};

/**
 * publicContact's JSON text, written from the row's values as SQLite holds them: the stored
 * JSON columns (tags, address, social links, custom fields: JSON.stringify's text) go in as
 * they are, times are written from epoch ms, so no Date, row object or public object is built
 * and serialised again (a list page's 50 rows: bench/README.md, "Contact lists and search").
 * `i` says where each column sits in `v` (every one of contactJsonColumns must be there).
 * contacts-list.test.ts compares the list's items with GET /contacts/{id}.
 */
export function publicContactJsonOfValues(v: unknown[], i: ContactValueIndex): string {
  return (
    `{"id":${jsonText(v[i.id])},"firstName":${jsonText(v[i.firstName])},"lastName":${jsonText(v[i.lastName])}` +
    `,"emails":${emailsJson(v[i.emails] as string)},"phones":${phonesJson(v[i.phones] as string)}` +
    `,"title":${jsonText(v[i.title])},"companyId":${jsonText(v[i.companyId])}` +
    `,"lifecycleStage":${jsonText(v[i.lifecycleStage])},"lifecycleStageChangedAt":${timeJson(v[i.lifecycleStageChangedAt])}` +
    `,"leadStatus":${jsonText(v[i.leadStatus])},"source":${jsonText(v[i.source])},"ownerId":${jsonText(v[i.ownerId])}` +
    `,"tags":${v[i.tags] as string},"consent":{"status":${jsonText(v[i.consentStatus])}` +
    `,"changedAt":${timeJson(v[i.consentChangedAt])},"source":${jsonText(v[i.consentSource])}}` +
    `,"doNotContact":${v[i.doNotContact] ? "true" : "false"},"timeZone":${jsonText(v[i.timeZone])}` +
    `,"address":${(v[i.address] as string | null) ?? "null"},"socialLinks":${v[i.socialLinks] as string}` +
    `,"customFields":${v[i.customFields] as string},"createdAt":${timeJson(v[i.createdAt])}` +
    `,"updatedAt":${timeJson(v[i.updatedAt])}}`
  );
}

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
