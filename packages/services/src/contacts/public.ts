import { contacts } from "@crm/db";
import { type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
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

/** An epoch-ms column as the JSON string Date.toISOString() writes (to the millisecond); NULL as null. */
export const isoJsonSql = (column: SQLiteColumn | SQL) =>
  sql`iif(${column} is null, 'null', '"' || strftime('%Y-%m-%dT%H:%M:%fZ', ${column} / 1000.0, 'unixepoch') || '"')`;

const c = contacts;
const quoted = (column: SQLiteColumn) => sql`json_quote(${column})`;
// Stored without a label when there is none; the API always shows `label`.
const emailsJson = sql`(select json_group_array(json_object('address', e.value ->> 'address', 'primary', e.value -> 'primary', 'label', e.value -> 'label')) from json_each(${c.emails}) e)`;
const phonesJson = sql`(select json_group_array(json_object('number', p.value ->> 'number', 'label', p.value -> 'label')) from json_each(${c.phones}) p)`;

/**
 * publicContact written by SQLite as the API's JSON text: the same members in the same order
 * with the same values, so a list page is sent as SQLite wrote it (listContactsJson). The JSON
 * columns (tags, address, social links, custom fields) are stored as JSON text and go in as
 * they are. contacts-list.test.ts compares it with GET /contacts/{id}.
 */
export const publicContactJson = sql<string>`'{"id":' || ${quoted(c.id)} || ',"firstName":' || ${quoted(c.firstName)}
  || ',"lastName":' || ${quoted(c.lastName)} || ',"emails":' || ${emailsJson} || ',"phones":' || ${phonesJson}
  || ',"title":' || ${quoted(c.title)} || ',"companyId":' || ${quoted(c.companyId)}
  || ',"lifecycleStage":' || ${quoted(c.lifecycleStage)} || ',"lifecycleStageChangedAt":' || ${isoJsonSql(c.lifecycleStageChangedAt)}
  || ',"leadStatus":' || ${quoted(c.leadStatus)} || ',"source":' || ${quoted(c.source)} || ',"ownerId":' || ${quoted(c.ownerId)}
  || ',"tags":' || ${c.tags} || ',"consent":{"status":' || ${quoted(c.consentStatus)}
  || ',"changedAt":' || ${isoJsonSql(c.consentChangedAt)} || ',"source":' || ${quoted(c.consentSource)}
  || '},"doNotContact":' || iif(${c.doNotContact}, 'true', 'false') || ',"timeZone":' || ${quoted(c.timeZone)}
  || ',"address":' || coalesce(${c.address}, 'null') || ',"socialLinks":' || ${c.socialLinks}
  || ',"customFields":' || ${c.customFields} || ',"createdAt":' || ${isoJsonSql(c.createdAt)}
  || ',"updatedAt":' || ${isoJsonSql(c.updatedAt)} || '}'`;

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
