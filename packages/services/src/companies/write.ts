import { activities, companies, contacts, deals, notes, recordTags, tasks } from "@crm/db";
import { notesTextByRecord, withNotesText } from "../notes/search-text";
import { ApiError } from "@crm/errors";
import type { BatchItem } from "drizzle-orm/batch";
import { and, eq, inArray, ne } from "drizzle-orm";
import { recordChangeQueries } from "../events/record";
import { isUniqueViolation } from "../batch-guard";
import { contactSearchText } from "../contacts/public";
import type { TenantContext } from "../context";
import { chunk } from "../records/insert-many";
import { tagQueries } from "../records/tags";
import { canSeeRecord } from "../records/visibility";
import { applyCompanyInput, blankCompany, checkCompanyInput, companyColumns, type CompanyInput } from "./input";
import { type CompanyRow, companySearchText, publicCompany, sameCompany } from "./public";

/** The company if it exists in the tenant and the caller may see it; 404 otherwise (never 403). */
export async function findVisibleCompany(ctx: TenantContext, id: string): Promise<CompanyRow> {
  const row = await ctx.db.findFirst(companies, eq(companies.id, id));
  if (!row || !(await canSeeRecord(ctx, row.ownerId))) throw new ApiError("NOT_FOUND", `Company ${id} was not found`);
  return row;
}

export async function getCompany(ctx: TenantContext, id: string) {
  return publicCompany(await findVisibleCompany(ctx, id));
}

/** 409 with `existingId` when another company of the tenant has this domain. */
export async function assertNoDuplicateDomain(ctx: TenantContext, row: CompanyRow): Promise<void> {
  if (!row.domain) return;
  const other = await ctx.db.findFirst(companies, and(eq(companies.domain, row.domain), ne(companies.id, row.id)));
  if (other) {
    throw new ApiError("CONFLICT", `Another company already has the domain ${row.domain}`, {
      extensions: { existingId: other.id },
    });
  }
}

/**
 * The statements that store one company's new state with its tags, search entry and audit
 * entry. A rename also re-indexes its contacts, whose search text carries the company name.
 */
export async function companySaveQueries(
  ctx: TenantContext,
  before: CompanyRow | null,
  after: CompanyRow,
): Promise<BatchItem<"sqlite">[]> {
  const { tenantId: _tenantId, ...values } = after;
  const queries: BatchItem<"sqlite">[] = [
    before
      ? ctx.db.updateQuery(companies, companyColumns(after), eq(companies.id, after.id))
      : ctx.db.insertQuery(companies, values),
  ];
  if (!before || before.tags.join("\n") !== after.tags.join("\n"))
    queries.push(...tagQueries(ctx, "company", after.id, after.tags, { isNew: !before }));
  if (!before || companySearchText(before) !== companySearchText(after)) {
    const ownNotes = before ? (await notesTextByRecord(ctx, "company", [after.id])).get(after.id) : undefined;
    queries.push(
      ...ctx.db.indexForSearchQueries("company", after.id, withNotesText(companySearchText(after), ownNotes)),
    );
  }
  if (before && before.name !== after.name) {
    const linked = await ctx.db.findMany(contacts, { where: eq(contacts.companyId, after.id) });
    const linkedNotes = await notesTextByRecord(
      ctx,
      "contact",
      linked.map((c) => c.id),
    );
    for (const contact of linked)
      queries.push(
        ...ctx.db.indexForSearchQueries(
          "contact",
          contact.id,
          withNotesText(contactSearchText(contact, after.name), linkedNotes.get(contact.id)),
        ),
      );
  }
  queries.push(
    ...recordChangeQueries(ctx, [
      {
        action: before ? "update" : "create",
        entity: "company",
        entityId: after.id,
        before: before ? publicCompany(before) : null,
        after: publicCompany(after),
      },
    ]),
  );
  return queries;
}

/** Runs a company write; a concurrent twin that took the same domain first becomes a 409. */
export async function runCompanyBatch(
  ctx: TenantContext,
  queries: BatchItem<"sqlite">[],
  rows: CompanyRow[],
): Promise<void> {
  try {
    await ctx.db.batch(queries as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    for (const row of rows) await assertNoDuplicateDomain(ctx, row);
    throw error;
  }
}

export async function createCompany(ctx: TenantContext, input: CompanyInput) {
  const checked = await checkCompanyInput(ctx, input, { prefix: "body", creating: true });
  const now = new Date();
  const row = applyCompanyInput(blankCompany(ctx, now), checked, now);
  await assertNoDuplicateDomain(ctx, row);
  await runCompanyBatch(ctx, await companySaveQueries(ctx, null, row), [row]);
  return publicCompany(row);
}

export async function updateCompany(ctx: TenantContext, id: string, input: CompanyInput) {
  const before = await findVisibleCompany(ctx, id);
  const checked = await checkCompanyInput(ctx, input, { prefix: "body", creating: false });
  const row = applyCompanyInput(before, checked, new Date());
  if (sameCompany(before, row)) return publicCompany(before);
  if (row.domain !== before.domain) await assertNoDuplicateDomain(ctx, row);
  await runCompanyBatch(ctx, await companySaveQueries(ctx, before, row), [row]);
  return publicCompany(row);
}

/** D1 binds at most 100 parameters per statement. */
const idChunk = 90;

/**
 * Statements that delete companies and what hangs only on them (tags, search entries,
 * notes, activities) and unlink what lives on (contacts, deals, tasks). Unlinked contacts
 * are re-indexed without the company's name.
 */
export async function companyDeleteQueries(ctx: TenantContext, rows: CompanyRow[]): Promise<BatchItem<"sqlite">[]> {
  const queries: BatchItem<"sqlite">[] = [];
  for (const part of chunk(rows, idChunk)) {
    const ids = part.map((r) => r.id);
    const onCompany = <T extends typeof notes | typeof activities | typeof tasks>(table: T) =>
      and(eq(table.recordType, "company"), inArray(table.recordId, ids))!;
    const linked = await ctx.db.findMany(contacts, { where: inArray(contacts.companyId, ids) });
    const linkedNotes = await notesTextByRecord(
      ctx,
      "contact",
      linked.map((c) => c.id),
    );
    queries.push(
      ctx.db.deleteQuery(companies, inArray(companies.id, ids)),
      ctx.db.deleteQuery(recordTags, and(eq(recordTags.recordType, "company"), inArray(recordTags.recordId, ids))!),
      ctx.db.deleteQuery(notes, onCompany(notes)),
      ctx.db.deleteQuery(activities, onCompany(activities)),
      ctx.db.updateQuery(tasks, { recordType: null, recordId: null }, onCompany(tasks)),
      ctx.db.updateQuery(contacts, { companyId: null }, inArray(contacts.companyId, ids)),
      ctx.db.updateQuery(deals, { companyId: null }, inArray(deals.companyId, ids)),
      ...linked.flatMap((contact) =>
        ctx.db.indexForSearchQueries(
          "contact",
          contact.id,
          withNotesText(contactSearchText(contact, null), linkedNotes.get(contact.id)),
        ),
      ),
    );
  }
  queries.push(
    ...ctx.db.unindexManyForSearchQueries(rows.map((r) => r.id)),
    ...recordChangeQueries(
      ctx,
      rows.map((row) => ({
        action: "delete" as const,
        entity: "company",
        entityId: row.id,
        before: publicCompany(row),
      })),
    ),
  );
  return queries;
}

export async function deleteCompany(ctx: TenantContext, id: string): Promise<void> {
  const row = await findVisibleCompany(ctx, id);
  await ctx.db.batch((await companyDeleteQueries(ctx, [row])) as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
}
