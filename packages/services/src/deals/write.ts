import { activities, deals, dealStageHistory, newId, notes, pipelineStages, recordTags, tasks } from "@crm/db";
import { ApiError } from "@crm/errors";
import type { BatchItem } from "drizzle-orm/batch";
import { and, eq, inArray } from "drizzle-orm";
import { recordChangeQueries } from "../events/record";
import type { TenantContext } from "../context";
import { searchIndexQueriesFor } from "../notes/search-text";
import type { StageRow } from "../pipelines/serialize";
import { chunk } from "../records/insert-many";
import { tagQueries } from "../records/tags";
import { canSeeRecord } from "../records/visibility";
import { applyDealInput, blankDeal, checkDealInput, dealColumns, type DealInput } from "./input";
import { resolveStartStage } from "./start-stage";
import { type DealRow, publicDeal } from "./serialize";

/** The deal if it exists in the tenant and the caller may see it; 404 otherwise (never 403). */
export async function findVisibleDeal(ctx: TenantContext, id: string): Promise<DealRow> {
  const row = await ctx.db.findFirst(deals, eq(deals.id, id));
  if (!row || !(await canSeeRecord(ctx, row.ownerId))) throw new ApiError("NOT_FOUND", `Deal ${id} was not found`);
  return row;
}

export async function getDeal(ctx: TenantContext, id: string) {
  return publicDeal(await findVisibleDeal(ctx, id));
}

/** The stage a deal sits in. */
export async function stageOf(ctx: TenantContext, deal: DealRow): Promise<StageRow> {
  const stage = await ctx.db.findFirst(pipelineStages, eq(pipelineStages.id, deal.stageId));
  if (!stage) throw new ApiError("CONFLICT", `The stage of deal ${deal.id} no longer exists`);
  return stage;
}

/** Whether a write would change nothing a client sees (skipped: no new updatedAt, no empty audit entry). */
export function sameDeal(before: DealRow, after: DealRow): boolean {
  return (
    JSON.stringify({ ...publicDeal(before), updatedAt: null }) ===
    JSON.stringify({ ...publicDeal(after), updatedAt: null })
  );
}

/**
 * The statements that store one deal's new state: the row, its tags, its search entry
 * (through searchIndexQueriesFor, which keeps the deal's notes in it), the opening stage
 * history row of a new deal, and the audit entry.
 */
export async function dealSaveQueries(
  ctx: TenantContext,
  before: DealRow | null,
  after: DealRow,
): Promise<BatchItem<"sqlite">[]> {
  const { tenantId: _tenantId, ...values } = after;
  const queries: BatchItem<"sqlite">[] = [
    before ? ctx.db.updateQuery(deals, dealColumns(after), eq(deals.id, after.id)) : ctx.db.insertQuery(deals, values),
  ];
  if (!before) {
    queries.push(
      ctx.db.insertQuery(dealStageHistory, {
        id: newId("dealStageChange"),
        dealId: after.id,
        pipelineId: after.pipelineId,
        stageId: after.stageId,
        enteredAt: after.stageEnteredAt,
        leftAt: null,
        changedBy: ctx.actor.id,
      }),
    );
  }
  if (!before || before.tags.join("\n") !== after.tags.join("\n"))
    queries.push(...tagQueries(ctx, "deal", after.id, after.tags, { isNew: !before }));
  if (!before || before.name !== after.name)
    queries.push(...(await searchIndexQueriesFor(ctx, "deal", after.id, after, before ? undefined : [])));
  queries.push(
    ...recordChangeQueries(ctx, [
      {
        action: before ? "update" : "create",
        entity: "deal",
        entityId: after.id,
        before: before ? publicDeal(before) : null,
        after: publicDeal(after),
      },
    ]),
  );
  return queries;
}

export interface CreateDealInput extends DealInput {
  name: string;
  pipelineId?: string | undefined;
  stageId?: string | undefined;
}

/** A new deal's row, checked, in its starting stage (for createDeal and lead conversion). */
export async function newDealRow(
  ctx: TenantContext,
  input: CreateDealInput,
  prefix: string,
  now: Date,
): Promise<DealRow> {
  const { pipelineId, stageId, ...fields } = input;
  const checked = await checkDealInput(ctx, fields, { prefix, creating: true });
  const stage = await resolveStartStage(ctx, { pipelineId, stageId }, prefix);
  return applyDealInput(blankDeal(ctx, stage, now), checked, stage, now, prefix);
}

export async function createDeal(ctx: TenantContext, input: CreateDealInput) {
  const row = await newDealRow(ctx, input, "body", new Date());
  await ctx.db.batch((await dealSaveQueries(ctx, null, row)) as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return publicDeal(row);
}

export async function updateDeal(ctx: TenantContext, id: string, input: DealInput) {
  const before = await findVisibleDeal(ctx, id);
  const checked = await checkDealInput(ctx, input, { prefix: "body", creating: false });
  const row = applyDealInput(before, checked, await stageOf(ctx, before), new Date(), "body");
  if (sameDeal(before, row)) return publicDeal(before);
  await ctx.db.batch((await dealSaveQueries(ctx, before, row)) as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return publicDeal(row);
}

/**
 * Statements that delete deals and what hangs only on them (stage history, tags, search
 * entries, notes, activities) and unlink their tasks; set-based per 90 ids.
 */
export function dealDeleteQueries(ctx: TenantContext, rows: DealRow[]): BatchItem<"sqlite">[] {
  const queries: BatchItem<"sqlite">[] = [];
  for (const part of chunk(rows, 90)) {
    const ids = part.map((r) => r.id);
    const onDeal = <T extends typeof notes | typeof activities | typeof tasks>(table: T) =>
      and(eq(table.recordType, "deal"), inArray(table.recordId, ids))!;
    queries.push(
      ctx.db.deleteQuery(deals, inArray(deals.id, ids)),
      ctx.db.deleteQuery(dealStageHistory, inArray(dealStageHistory.dealId, ids)),
      ctx.db.deleteQuery(recordTags, and(eq(recordTags.recordType, "deal"), inArray(recordTags.recordId, ids))!),
      ctx.db.deleteQuery(notes, onDeal(notes)),
      ctx.db.deleteQuery(activities, onDeal(activities)),
      ctx.db.updateQuery(tasks, { recordType: null, recordId: null }, onDeal(tasks)),
    );
  }
  queries.push(
    ...ctx.db.unindexManyForSearchQueries(rows.map((r) => r.id)),
    ...recordChangeQueries(
      ctx,
      rows.map((row) => ({ action: "delete" as const, entity: "deal", entityId: row.id, before: publicDeal(row) })),
    ),
  );
  return queries;
}

export async function deleteDeal(ctx: TenantContext, id: string): Promise<void> {
  const row = await findVisibleDeal(ctx, id);
  await ctx.db.batch(dealDeleteQueries(ctx, [row]) as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
}
