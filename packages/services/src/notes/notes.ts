import { newId, notes, type RecordType } from "@crm/db";
import { ApiError } from "@crm/errors";
import type { BatchItem } from "drizzle-orm/batch";
import { and, asc, eq } from "drizzle-orm";
import { roleAtLeast } from "../access";
import { recordChangeQueries } from "../events/record";
import type { TenantContext } from "../context";
import { afterCursor, orderFor, pageFromRows, parseSort } from "../lists/cursor";
import { canSeeParent, findParentRecord, requireLinkableParent } from "../timeline/parent-record";
import { searchIndexQueriesFor } from "./search-text";
import { deleteAiOutputsQuery, noteSentimentSubject, sentimentWriteQueries } from "../ai/outputs";
import type { AiProviders } from "../ai/providers";

export type NoteRow = typeof notes.$inferSelect;

export function publicNote(row: NoteRow) {
  return {
    id: row.id,
    recordType: row.recordType,
    recordId: row.recordId,
    body: row.body,
    authorId: row.authorId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type PublicNote = ReturnType<typeof publicNote>;

export interface NoteParent {
  recordType: RecordType;
  recordId: string;
}

const onRecord = (ref: NoteParent) => and(eq(notes.recordType, ref.recordType), eq(notes.recordId, ref.recordId))!;

/** The bodies of a record's notes, oldest first, with one note added, replaced or removed. */
async function noteBodiesAfter(
  ctx: TenantContext,
  ref: NoteParent,
  change: { upsert?: NoteRow; removeId?: string },
): Promise<string[]> {
  const stored = await ctx.db.findMany(notes, { where: onRecord(ref), orderBy: [asc(notes.createdAt), asc(notes.id)] });
  const kept = stored.filter((n) => n.id !== change.removeId && n.id !== change.upsert?.id);
  const all = change.upsert
    ? [...kept, change.upsert].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1))
    : kept;
  return all.map((n) => n.body);
}

/**
 * The parent's search entry with this note change applied, for the note's batch: notes
 * make their record findable by `q=` (see searchTextFor).
 */
async function reindexParentQueries(
  ctx: TenantContext,
  ref: NoteParent,
  change: { upsert?: NoteRow; removeId?: string },
) {
  return searchIndexQueriesFor(ctx, ref.recordType, ref.recordId, undefined, await noteBodiesAfter(ctx, ref, change));
}

/** A note's author, owners and admins may change it; API keys act for the tenant. */
function assertMayChange(ctx: TenantContext, row: NoteRow) {
  if (ctx.actor.type !== "user") return;
  if (row.authorId === ctx.actor.id || roleAtLeast(ctx.actor.role, "admin")) return;
  throw new ApiError("FORBIDDEN", "Only the note's author or an admin can change or delete it");
}

/** With `ai`, the note's sentiment is read and stored in the same batch (see ai/outputs). */
export async function createNote(ctx: TenantContext, input: NoteParent & { body: string }, ai?: AiProviders) {
  await requireLinkableParent(ctx, input.recordType, input.recordId);
  const now = new Date();
  const row: NoteRow = {
    id: newId("note"),
    tenantId: ctx.tenant.id,
    recordType: input.recordType,
    recordId: input.recordId,
    body: input.body,
    authorId: ctx.actor.id,
    createdAt: now,
    updatedAt: now,
  };
  const { tenantId: _tenantId, ...values } = row;
  await ctx.db.batch([
    ctx.db.insertQuery(notes, values),
    ...(await reindexParentQueries(ctx, input, { upsert: row })),
    ...recordChangeQueries(ctx, [{ action: "create", entity: "note", entityId: row.id, after: publicNote(row) }]),
    ...(await sentimentWriteQueries(ctx, ai, noteSentimentSubject(publicNote(row)))),
  ]);
  return publicNote(row);
}

const newestFirst = parseSort(undefined, { createdAt: { column: notes.createdAt, kind: "date" } }, "-createdAt");

/**
 * A record's notes, newest first. A record that is unknown, another tenant's or hidden from
 * the caller has none to show: an empty page, as for any list filter that matches nothing.
 */
export async function listNotes(
  ctx: TenantContext,
  ref: NoteParent,
  page: { limit: number; cursor?: string | undefined },
) {
  const parent = await findParentRecord(ctx, ref.recordType, ref.recordId);
  if (!parent || !(await canSeeParent(ctx, ref.recordType, parent))) return { data: [], nextCursor: null };
  const rows = await ctx.db.findMany(notes, {
    where: and(onRecord(ref), afterCursor(newestFirst, notes.id, page.cursor)),
    orderBy: orderFor(newestFirst, notes.id),
    limit: page.limit + 1,
  });
  const { rows: kept, nextCursor } = pageFromRows(rows, page.limit, newestFirst, (r) => r.createdAt);
  return { data: kept.map(publicNote), nextCursor };
}

/** A note whose record the caller may see; anything else is a 404. */
async function findVisibleNote(ctx: TenantContext, id: string): Promise<NoteRow> {
  const row = await ctx.db.findFirst(notes, eq(notes.id, id));
  const parent = row && (await findParentRecord(ctx, row.recordType, row.recordId));
  if (!row || !parent || !(await canSeeParent(ctx, row.recordType, parent)))
    throw new ApiError("NOT_FOUND", `Note ${id} was not found`);
  return row;
}

export async function getNote(ctx: TenantContext, id: string) {
  return publicNote(await findVisibleNote(ctx, id));
}

export async function updateNote(ctx: TenantContext, id: string, input: { body: string }, ai?: AiProviders) {
  const before = await findVisibleNote(ctx, id);
  assertMayChange(ctx, before);
  const after: NoteRow = { ...before, body: input.body, updatedAt: new Date() };
  await ctx.db.batch([
    ctx.db.updateQuery(notes, { body: after.body, updatedAt: after.updatedAt }, eq(notes.id, id)),
    ...(await reindexParentQueries(ctx, before, { upsert: after })),
    ...recordChangeQueries(ctx, [
      {
        action: "update",
        entity: "note",
        entityId: id,
        before: publicNote(before),
        after: publicNote(after),
      },
    ]),
    // A new text gets a new reading; the same text keeps the one it has.
    ...(after.body !== before.body
      ? await sentimentWriteQueries(ctx, ai, noteSentimentSubject(publicNote(after)))
      : []),
  ]);
  return publicNote(after);
}

export async function deleteNote(ctx: TenantContext, id: string) {
  const before = await findVisibleNote(ctx, id);
  assertMayChange(ctx, before);
  const queries: BatchItem<"sqlite">[] = [
    ctx.db.deleteQuery(notes, eq(notes.id, id)),
    deleteAiOutputsQuery(ctx, "note", id),
    ...(await reindexParentQueries(ctx, before, { removeId: id })),
    ...recordChangeQueries(ctx, [{ action: "delete", entity: "note", entityId: id, before: publicNote(before) }]),
  ];
  await ctx.db.batch(queries as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
}
