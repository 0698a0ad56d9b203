import { companies, notes, type RecordType } from "@crm/db";
import type { BatchItem } from "drizzle-orm/batch";
import { and, asc, eq, sql } from "drizzle-orm";
import { companySearchText } from "../companies/public";
import { contactSearchText } from "../contacts/public";
import type { TenantContext } from "../context";
import { findParentRecord, type ParentRows } from "../timeline/parent-record";

/** A record's search document stays well under D1's row and statement limits. */
export const maxSearchTextLength = 100_000;

const joined = (parts: (string | null | undefined)[]) =>
  parts
    .filter((p): p is string => !!p && p.trim() !== "")
    .map((p) => p.replace(/\s+/g, " ").trim())
    .join(" ");

/** Phone numbers are also indexed as bare digits, so `q=5550102` finds `+1 (555) 010-2`. */
const phoneText = (phone: string | null | undefined) => (phone ? `${phone} ${phone.replace(/\D/g, "")}` : null);

/** What search sees of the record itself; contacts and companies use their own services' text. */
async function ownText<T extends RecordType>(ctx: TenantContext, recordType: T, row: ParentRows[T]): Promise<string> {
  switch (recordType) {
    case "contact": {
      const contact = row as ParentRows["contact"];
      const company = contact.companyId
        ? await ctx.db.findFirst(companies, eq(companies.id, contact.companyId))
        : undefined;
      return contactSearchText(contact, company?.name ?? null);
    }
    case "company":
      return companySearchText(row as ParentRows["company"]);
    case "lead": {
      const lead = row as ParentRows["lead"];
      return joined([
        lead.firstName,
        lead.lastName,
        lead.email,
        phoneText(lead.phone),
        lead.title,
        lead.companyName,
        lead.companyDomain,
      ]);
    }
    case "deal":
      return joined([(row as ParentRows["deal"]).name]);
    default: {
      const task = row as ParentRows["task"];
      return joined([task.title, task.description]);
    }
  }
}

const withNotes = (own: string, bodies: string[]) => [own, ...bodies].join("\n").slice(0, maxSearchTextLength);

async function storedNoteBodies(ctx: TenantContext, recordType: RecordType, recordId: string): Promise<string[]> {
  const rows = await ctx.db.findMany(notes, {
    where: and(eq(notes.recordType, recordType), eq(notes.recordId, recordId)),
    orderBy: [asc(notes.createdAt), asc(notes.id)],
  });
  return rows.map((n) => n.body);
}

/**
 * The full-text document of a record: its own searchable fields plus the text of its notes,
 * so `q=` on a list finds a record by what was written about it. Every write that reindexes
 * a contact, company, lead, deal or task must keep the notes in, or it drops them from the
 * index: build the text here, or append the notes to your own text with appendNotesText /
 * notesTextByRecord. Pass `row` when reindexing inside the write that changes it (the stored
 * row is still the old one); `noteBodies` stands in for the stored notes (a note write).
 * Returns null when the record does not exist.
 */
export async function searchTextFor<T extends RecordType>(
  ctx: TenantContext,
  recordType: T,
  recordId: string,
  row?: ParentRows[T],
  noteBodies?: string[],
): Promise<string | null> {
  const record = row ?? (await findParentRecord(ctx, recordType, recordId));
  if (!record) return null;
  return withNotes(
    await ownText(ctx, recordType, record),
    noteBodies ?? (await storedNoteBodies(ctx, recordType, recordId)),
  );
}

/** `ownText` (what a record's service indexes of it) followed by the record's notes. */
export async function appendNotesText(
  ctx: TenantContext,
  recordType: RecordType,
  recordId: string,
  ownText: string,
): Promise<string> {
  return withNotes(ownText, await storedNoteBodies(ctx, recordType, recordId));
}

/**
 * The notes text of many records in one query (reindexing a company's contacts after a
 * rename): record id → its notes' bodies, oldest first, joined by newlines. Records
 * without notes are absent; use `withNotesText(own, map.get(id))`.
 */
export async function notesTextByRecord(
  ctx: TenantContext,
  recordType: RecordType,
  recordIds: string[],
): Promise<Map<string, string>> {
  if (recordIds.length === 0) return new Map();
  const byRecord = new Map<string, string[]>();
  const rows = await ctx.db.findMany(notes, {
    // One bound parameter however many ids (D1 binds at most 100 per statement).
    where: and(
      eq(notes.recordType, recordType),
      sql`${notes.recordId} in (select value from json_each(${JSON.stringify(recordIds)}))`,
    ),
    orderBy: [asc(notes.createdAt), asc(notes.id)],
  });
  for (const note of rows) byRecord.set(note.recordId, [...(byRecord.get(note.recordId) ?? []), note.body]);
  return new Map([...byRecord].map(([id, bodies]) => [id, bodies.join("\n")]));
}

/** A record's own text joined with a notesTextByRecord entry, capped like searchTextFor. */
export function withNotesText(ownText: string, notesText: string | undefined): string {
  return withNotes(ownText, notesText ? [notesText] : []);
}

/** The statements that reindex a record (see searchTextFor), for the same batch as its write. */
export async function searchIndexQueriesFor<T extends RecordType>(
  ctx: TenantContext,
  recordType: T,
  recordId: string,
  row?: ParentRows[T],
  noteBodies?: string[],
): Promise<BatchItem<"sqlite">[]> {
  const text = await searchTextFor(ctx, recordType, recordId, row, noteBodies);
  return text === null ? [] : ctx.db.indexForSearchQueries(recordType, recordId, text);
}
