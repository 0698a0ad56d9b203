import { activities, leads, leadStageHistory, newId, notes, recordTags, tasks } from "@crm/db";
import { ApiError } from "@crm/errors";
import type { BatchItem } from "drizzle-orm/batch";
import { and, eq, inArray } from "drizzle-orm";
import { recordChangeQueries } from "../events/record";
import type { TenantContext } from "../context";
import { searchIndexQueriesFor } from "../notes/search-text";
import { chunk } from "../records/insert-many";
import { assertOwnerIsMember } from "../records/owners";
import { tagQueries } from "../records/tags";
import { canSeeRecord } from "../records/visibility";
import { applyLeadInput, blankLead, checkLeadInput, leadColumns, type LeadInput, type LeadStageChange } from "./input";
import { type LeadRow, publicLead } from "./serialize";

/** The lead if it exists in the tenant and the caller may see it; 404 otherwise (never 403). */
export async function findVisibleLead(ctx: TenantContext, id: string): Promise<LeadRow> {
  const row = await ctx.db.findFirst(leads, eq(leads.id, id));
  if (!row || !(await canSeeRecord(ctx, row.ownerId))) throw new ApiError("NOT_FOUND", `Lead ${id} was not found`);
  return row;
}

export async function getLead(ctx: TenantContext, id: string) {
  return publicLead(await findVisibleLead(ctx, id));
}

/** Whether a write would change nothing a client sees (skipped: no new updatedAt, no empty audit entry). */
export function sameLead(before: LeadRow, after: LeadRow): boolean {
  return (
    JSON.stringify({ ...publicLead(before), updatedAt: null }) ===
    JSON.stringify({ ...publicLead(after), updatedAt: null })
  );
}

const searchFields = (row: LeadRow) =>
  [row.firstName, row.lastName, row.email, row.phone, row.title, row.companyName, row.companyDomain].join("\n");

/**
 * The statements that store one lead's new state: the row, its tags, its search entry
 * (kept with its notes by searchIndexQueriesFor), the stage history row of a stage change,
 * and the audit entry.
 */
export async function leadSaveQueries(
  ctx: TenantContext,
  before: LeadRow | null,
  after: LeadRow,
  stageChange: LeadStageChange | null,
): Promise<BatchItem<"sqlite">[]> {
  const { tenantId: _tenantId, ...values } = after;
  const queries: BatchItem<"sqlite">[] = [
    before ? ctx.db.updateQuery(leads, leadColumns(after), eq(leads.id, after.id)) : ctx.db.insertQuery(leads, values),
  ];
  if (stageChange) {
    queries.push(
      ctx.db.insertQuery(leadStageHistory, {
        id: newId("leadStageChange"),
        leadId: after.id,
        fromStage: stageChange.from,
        toStage: stageChange.to,
        reason: stageChange.reason,
        changedBy: ctx.actor.id,
        changedAt: after.stageChangedAt,
      }),
    );
  }
  if (!before || before.tags.join("\n") !== after.tags.join("\n"))
    queries.push(...tagQueries(ctx, "lead", after.id, after.tags, { isNew: !before }));
  if (!before || searchFields(before) !== searchFields(after)) {
    queries.push(...(await searchIndexQueriesFor(ctx, "lead", after.id, after, before ? undefined : [])));
  }
  queries.push(
    ...recordChangeQueries(ctx, [
      {
        action: before ? "update" : "create",
        entity: "lead",
        entityId: after.id,
        before: before ? publicLead(before) : null,
        after: publicLead(after),
      },
    ]),
  );
  return queries;
}

export async function createLead(ctx: TenantContext, input: LeadInput) {
  const checked = await checkLeadInput(ctx, input, { prefix: "body", creating: true });
  const now = new Date();
  const { row, stageChange } = applyLeadInput(blankLead(ctx, now), checked, now, { prefix: "body", creating: true });
  await ctx.db.batch(
    (await leadSaveQueries(ctx, null, row, stageChange)) as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]],
  );
  return publicLead(row);
}

export async function updateLead(ctx: TenantContext, id: string, input: LeadInput) {
  const before = await findVisibleLead(ctx, id);
  const checked = await checkLeadInput(ctx, input, { prefix: "body", creating: false });
  const { row, stageChange } = applyLeadInput(before, checked, new Date(), { prefix: "body", creating: false });
  if (sameLead(before, row)) return publicLead(before);
  await ctx.db.batch(
    (await leadSaveQueries(ctx, before, row, stageChange)) as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]],
  );
  return publicLead(row);
}

/** Gives the lead to a member of the tenant, or back to the unassigned queue with null. */
export async function assignLead(ctx: TenantContext, id: string, ownerId: string | null) {
  if (ownerId) await assertOwnerIsMember(ctx, ownerId, "body.ownerId");
  return updateLead(ctx, id, { ownerId });
}

/**
 * Statements that delete leads and what hangs only on them (stage history, tags, search
 * entries, notes, activities) and unlink their tasks; set-based per 90 ids. Records a
 * conversion created (contact, company, deal) stay.
 */
export function leadDeleteQueries(ctx: TenantContext, rows: LeadRow[]): BatchItem<"sqlite">[] {
  const queries: BatchItem<"sqlite">[] = [];
  for (const part of chunk(rows, 90)) {
    const ids = part.map((r) => r.id);
    const onLead = <T extends typeof notes | typeof activities | typeof tasks>(table: T) =>
      and(eq(table.recordType, "lead"), inArray(table.recordId, ids))!;
    queries.push(
      ctx.db.deleteQuery(leads, inArray(leads.id, ids)),
      ctx.db.deleteQuery(leadStageHistory, inArray(leadStageHistory.leadId, ids)),
      ctx.db.deleteQuery(recordTags, and(eq(recordTags.recordType, "lead"), inArray(recordTags.recordId, ids))!),
      ctx.db.deleteQuery(notes, onLead(notes)),
      ctx.db.deleteQuery(activities, onLead(activities)),
      ctx.db.updateQuery(tasks, { recordType: null, recordId: null }, onLead(tasks)),
    );
  }
  queries.push(
    ...ctx.db.unindexManyForSearchQueries(rows.map((r) => r.id)),
    ...recordChangeQueries(
      ctx,
      rows.map((row) => ({ action: "delete" as const, entity: "lead", entityId: row.id, before: publicLead(row) })),
    ),
  );
  return queries;
}

export async function deleteLead(ctx: TenantContext, id: string): Promise<void> {
  const row = await findVisibleLead(ctx, id);
  await ctx.db.batch(leadDeleteQueries(ctx, [row]) as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
}
