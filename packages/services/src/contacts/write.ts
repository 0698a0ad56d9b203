import {
  activities,
  companies,
  contactLifecycleHistory,
  contacts,
  deals,
  newId,
  notes,
  recordTags,
  tasks,
} from "@crm/db";
import { notesTextByRecord, withNotesText } from "../notes/search-text";
import { ApiError } from "@crm/errors";
import type { BatchItem } from "drizzle-orm/batch";
import { and, eq, inArray, ne } from "drizzle-orm";
import { recordChangeQueries } from "../events/record";
import { isUniqueViolation } from "../batch-guard";
import type { TenantContext } from "../context";
import type { CreatedRows } from "../records/created-rows";
import { tagQueries } from "../records/tags";
import { canSeeRecord } from "../records/visibility";
import {
  applyContactInput,
  blankContact,
  checkContactInput,
  contactColumns,
  type ContactInput,
  type LifecycleChange,
} from "./input";
import { createdContactAuditQueries } from "./created-audit";
import { type ContactRow, contactSearchText, publicContact } from "./public";

/** The contact if it exists in the tenant and the caller may see it; 404 otherwise (never 403). */
export async function findVisibleContact(ctx: TenantContext, id: string): Promise<ContactRow> {
  const row = await ctx.db.findFirst(contacts, eq(contacts.id, id));
  if (!row || !(await canSeeRecord(ctx, row.ownerId))) throw new ApiError("NOT_FOUND", `Contact ${id} was not found`);
  return row;
}

export async function getContact(ctx: TenantContext, id: string) {
  return publicContact(await findVisibleContact(ctx, id));
}

export async function companyNameOf(ctx: TenantContext, companyId: string | null): Promise<string | null> {
  if (!companyId) return null;
  return (await ctx.db.findFirst(companies, eq(companies.id, companyId)))?.name ?? null;
}

const duplicate = (email: string, existingId: string) =>
  new ApiError("CONFLICT", `Another contact already has the primary email ${email}`, { extensions: { existingId } });

/** 409 with `existingId` when another contact of the tenant has this primary email. */
export async function assertNoDuplicateEmail(ctx: TenantContext, row: ContactRow): Promise<void> {
  if (!row.primaryEmail) return;
  const other = await ctx.db.findFirst(
    contacts,
    and(eq(contacts.primaryEmail, row.primaryEmail), ne(contacts.id, row.id)),
  );
  if (other) throw duplicate(row.primaryEmail, other.id);
}

/** Whether a write would change nothing a client sees (so it is skipped: no new updatedAt, no empty audit entry). */
export function sameContact(before: ContactRow, after: ContactRow): boolean {
  return (
    JSON.stringify({ ...publicContact(before), updatedAt: null }) ===
    JSON.stringify({ ...publicContact(after), updatedAt: null })
  );
}

/** A contact's full-text document: its own fields, its company's name and its notes. */
const contactIndexText = (row: ContactRow, companyName: string | null, notesText: string | undefined) =>
  withNotesText(contactSearchText(row, companyName), notesText);

const lifecycleHistoryRow = (ctx: TenantContext, row: ContactRow, change: LifecycleChange) => ({
  id: newId("lifecycleChange"),
  contactId: row.id,
  fromStage: change.from,
  toStage: change.to,
  changedBy: ctx.actor.id,
  changedAt: row.updatedAt,
});

/** The statements that store one contact's new state with its tags, search entry, history and audit entry. */
export function contactSaveQueries(
  ctx: TenantContext,
  before: ContactRow | null,
  after: ContactRow,
  change: {
    lifecycle: LifecycleChange | null;
    companyName: string | null;
    reindex: boolean;
    /** The record's notes text (notesTextByRecord), so reindexing keeps what was written about it. */
    notesText?: string | undefined;
  },
): BatchItem<"sqlite">[] {
  const { tenantId: _tenantId, ...values } = after;
  const queries: BatchItem<"sqlite">[] = [
    before
      ? ctx.db.updateQuery(contacts, contactColumns(after), eq(contacts.id, after.id))
      : ctx.db.insertQuery(contacts, values),
  ];
  if (!before || before.tags.join("\n") !== after.tags.join("\n"))
    queries.push(...tagQueries(ctx, "contact", after.id, after.tags, { isNew: !before }));
  if (change.reindex)
    queries.push(
      ...ctx.db.indexForSearchQueries(
        "contact",
        after.id,
        contactIndexText(after, change.companyName, change.notesText),
      ),
    );
  if (change.lifecycle)
    queries.push(ctx.db.insertQuery(contactLifecycleHistory, lifecycleHistoryRow(ctx, after, change.lifecycle)));
  queries.push(
    ...recordChangeQueries(ctx, [
      {
        action: before ? "update" : "create",
        entity: "contact",
        entityId: after.id,
        before: before ? publicContact(before) : null,
        after: publicContact(after),
      },
    ]),
  );
  return queries;
}

/**
 * A new contact's writes added to `into`: the rows contactSaveQueries inserts for a create
 * (the contact, its tags, lifecycle history, search entry and audit entry), for bulk
 * creates that insert each table's rows at once. Only for a context that announces no record
 * changes (an import): contactSaveQueries would also write a domain event per contact.
 */
export function addNewContactRows(
  ctx: TenantContext,
  row: ContactRow,
  change: { lifecycle: LifecycleChange | null; companyName: string | null },
  into: CreatedRows,
): void {
  if (ctx.announceRecordChanges !== false) throw new Error("addNewContactRows writes no domain events");
  // The row as it is: a bulk insert writes the context's tenant id whatever the row holds.
  into.add(contacts, row);
  for (const tag of row.tags) into.add(recordTags, { recordType: "contact", tag, recordId: row.id });
  if (change.lifecycle) into.add(contactLifecycleHistory, lifecycleHistoryRow(ctx, row, change.lifecycle));
  // The audit entry (auditRow's, with publicContact's snapshot) is made in SQL from the row.
  into.addCopy<[string, string]>("contactAudit", (entries) => createdContactAuditQueries(ctx, entries), [
    row.id,
    newId("audit"),
  ]);
  into.addSearch("contact", row.id, contactIndexText(row, change.companyName, undefined));
}

/** Runs a contact write; a concurrent twin that took the same primary email first becomes a 409. */
export async function runContactBatch(
  ctx: TenantContext,
  queries: BatchItem<"sqlite">[],
  rows: ContactRow[],
): Promise<void> {
  try {
    await ctx.db.batch(queries as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    for (const row of rows) await assertNoDuplicateEmail(ctx, row);
    throw error;
  }
}

export async function createContact(ctx: TenantContext, input: ContactInput) {
  const checked = await checkContactInput(ctx, input, { prefix: "body", creating: true });
  const now = new Date();
  const { row, lifecycleChange } = applyContactInput(blankContact(ctx, now), checked, now, "body");
  await assertNoDuplicateEmail(ctx, row);
  const companyName = await companyNameOf(ctx, row.companyId);
  await runContactBatch(
    ctx,
    contactSaveQueries(ctx, null, row, { lifecycle: lifecycleChange, companyName, reindex: true }),
    [row],
  );
  return publicContact(row);
}

export async function updateContact(ctx: TenantContext, id: string, input: ContactInput) {
  const before = await findVisibleContact(ctx, id);
  const checked = await checkContactInput(ctx, input, { prefix: "body", creating: false });
  const now = new Date();
  const { row, lifecycleChange } = applyContactInput(before, checked, now, "body");
  if (sameContact(before, row)) return publicContact(before);
  if (row.primaryEmail !== before.primaryEmail) await assertNoDuplicateEmail(ctx, row);
  const companyName = await companyNameOf(ctx, row.companyId);
  await runContactBatch(
    ctx,
    contactSaveQueries(ctx, before, row, {
      lifecycle: lifecycleChange,
      companyName,
      reindex: true,
      notesText: (await notesTextByRecord(ctx, "contact", [id])).get(id),
    }),
    [row],
  );
  return publicContact(row);
}

/** D1 binds at most 100 parameters per statement. */
const idChunk = 90;

/**
 * Statements that delete contacts and what hangs only on them (tags, search entries,
 * lifecycle history, notes and activities), and unlink what lives on without them (deals,
 * tasks). Set-based per chunk of ids, so a bulk delete of 1,000 contacts is a few dozen
 * statements rather than thousands.
 */
export function contactDeleteQueries(ctx: TenantContext, rows: ContactRow[]): BatchItem<"sqlite">[] {
  const queries: BatchItem<"sqlite">[] = [];
  for (let i = 0; i < rows.length; i += idChunk) {
    const ids = rows.slice(i, i + idChunk).map((r) => r.id);
    const onContact = <T extends typeof notes | typeof activities | typeof tasks>(table: T) =>
      and(eq(table.recordType, "contact"), inArray(table.recordId, ids))!;
    queries.push(
      ctx.db.deleteQuery(contacts, inArray(contacts.id, ids)),
      ctx.db.deleteQuery(recordTags, and(eq(recordTags.recordType, "contact"), inArray(recordTags.recordId, ids))!),
      ctx.db.deleteQuery(contactLifecycleHistory, inArray(contactLifecycleHistory.contactId, ids)),
      ctx.db.deleteQuery(notes, onContact(notes)),
      ctx.db.deleteQuery(activities, onContact(activities)),
      ctx.db.updateQuery(tasks, { recordType: null, recordId: null }, onContact(tasks)),
      ctx.db.updateQuery(deals, { contactId: null }, inArray(deals.contactId, ids)),
    );
  }
  queries.push(
    ...ctx.db.unindexManyForSearchQueries(rows.map((r) => r.id)),
    ...recordChangeQueries(
      ctx,
      rows.map((row) => ({
        action: "delete" as const,
        entity: "contact",
        entityId: row.id,
        before: publicContact(row),
      })),
    ),
  );
  return queries;
}

export async function deleteContact(ctx: TenantContext, id: string): Promise<void> {
  const row = await findVisibleContact(ctx, id);
  await ctx.db.batch(contactDeleteQueries(ctx, [row]) as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
}
