import { activities, activityTypes, newId, type RecordType } from "@crm/db";
import { ApiError } from "@crm/errors";
import { and, eq, type SQL } from "drizzle-orm";
import { roleAtLeast } from "../access";
import { recordChangeQueries } from "../events/record";
import type { TenantContext } from "../context";
import { afterCursor, orderFor, pageFromRows, parseSort } from "../lists/cursor";
import { canSeeParent, findParentRecord, requireLinkableParent } from "../timeline/parent-record";
import { activitySentimentSubject, deleteAiOutputsQuery, sentimentWriteQueries } from "../ai/outputs";
import type { AiProviders } from "../ai/providers";

export type ActivityRow = typeof activities.$inferSelect;
export type ActivityType = (typeof activityTypes)[number];

export function publicActivity(row: ActivityRow) {
  return {
    id: row.id,
    type: row.type,
    recordType: row.recordType,
    recordId: row.recordId,
    subject: row.subject,
    body: row.body ?? null,
    occurredAt: row.occurredAt.toISOString(),
    durationMinutes: row.durationMinutes ?? null,
    outcome: row.outcome ?? null,
    actorId: row.actorId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type PublicActivity = ReturnType<typeof publicActivity>;

export interface ActivityInput {
  type: ActivityType;
  recordType: RecordType;
  recordId: string;
  subject: string;
  body?: string | null | undefined;
  /** Default: now. */
  occurredAt?: Date | undefined;
  durationMinutes?: number | null | undefined;
  outcome?: string | null | undefined;
}
export type ActivityChanges = Partial<Omit<ActivityInput, "recordType" | "recordId">>;

/** Whoever logged an activity, owners and admins may change it; API keys act for the tenant. */
function assertMayChange(ctx: TenantContext, row: ActivityRow) {
  if (ctx.actor.type !== "user") return;
  if (row.actorId === ctx.actor.id || roleAtLeast(ctx.actor.role, "admin")) return;
  throw new ApiError("FORBIDDEN", "Only whoever logged the activity or an admin can change or delete it");
}

/** With `ai`, the activity's text (a call transcript, say) gets its sentiment in the same batch. */
export async function createActivity(ctx: TenantContext, input: ActivityInput, ai?: AiProviders) {
  await requireLinkableParent(ctx, input.recordType, input.recordId);
  const now = new Date();
  const row: ActivityRow = {
    id: newId("activity"),
    tenantId: ctx.tenant.id,
    type: input.type,
    recordType: input.recordType,
    recordId: input.recordId,
    subject: input.subject.trim(),
    body: input.body ?? null,
    occurredAt: input.occurredAt ?? now,
    durationMinutes: input.durationMinutes ?? null,
    outcome: input.outcome ?? null,
    actorId: ctx.actor.id,
    createdAt: now,
    updatedAt: now,
  };
  const { tenantId: _tenantId, ...values } = row;
  await ctx.db.batch([
    ctx.db.insertQuery(activities, values),
    ...recordChangeQueries(ctx, [
      { action: "create", entity: "activity", entityId: row.id, after: publicActivity(row) },
    ]),
    ...(await sentimentWriteQueries(ctx, ai, activitySentimentSubject(publicActivity(row)))),
  ]);
  return publicActivity(row);
}

const latestFirst = parseSort(
  undefined,
  { occurredAt: { column: activities.occurredAt, kind: "date" } },
  "-occurredAt",
);

/**
 * A record's activities, latest first. A record that is unknown, another tenant's or hidden
 * from the caller has none to show: an empty page.
 */
export async function listActivities(
  ctx: TenantContext,
  filters: { recordType: RecordType; recordId: string; type?: ActivityType | undefined },
  page: { limit: number; cursor?: string | undefined },
) {
  const parent = await findParentRecord(ctx, filters.recordType, filters.recordId);
  if (!parent || !(await canSeeParent(ctx, filters.recordType, parent))) return { data: [], nextCursor: null };
  const conditions: (SQL | undefined)[] = [
    eq(activities.recordType, filters.recordType),
    eq(activities.recordId, filters.recordId),
    filters.type ? eq(activities.type, filters.type) : undefined,
    afterCursor(latestFirst, activities.id, page.cursor),
  ];
  const rows = await ctx.db.findMany(activities, {
    where: and(...conditions),
    orderBy: orderFor(latestFirst, activities.id),
    limit: page.limit + 1,
  });
  const { rows: kept, nextCursor } = pageFromRows(rows, page.limit, latestFirst, (r) => r.occurredAt);
  return { data: kept.map(publicActivity), nextCursor };
}

/** An activity whose record the caller may see; anything else is a 404. */
async function findVisibleActivity(ctx: TenantContext, id: string): Promise<ActivityRow> {
  const row = await ctx.db.findFirst(activities, eq(activities.id, id));
  const parent = row && (await findParentRecord(ctx, row.recordType, row.recordId));
  if (!row || !parent || !(await canSeeParent(ctx, row.recordType, parent)))
    throw new ApiError("NOT_FOUND", `Activity ${id} was not found`);
  return row;
}

export async function getActivity(ctx: TenantContext, id: string) {
  return publicActivity(await findVisibleActivity(ctx, id));
}

export async function updateActivity(ctx: TenantContext, id: string, changes: ActivityChanges, ai?: AiProviders) {
  const before = await findVisibleActivity(ctx, id);
  assertMayChange(ctx, before);
  const pick = <K extends keyof ActivityChanges & keyof ActivityRow>(key: K) =>
    (changes[key] !== undefined ? changes[key] : before[key]) as ActivityRow[K];
  const after: ActivityRow = {
    ...before,
    type: pick("type"),
    subject: changes.subject?.trim() ?? before.subject,
    body: pick("body"),
    occurredAt: pick("occurredAt"),
    durationMinutes: pick("durationMinutes"),
    outcome: pick("outcome"),
    updatedAt: new Date(),
  };
  const { id: _id, tenantId: _tenantId, createdAt: _createdAt, ...set } = after;
  await ctx.db.batch([
    ctx.db.updateQuery(activities, set, eq(activities.id, id)),
    ...recordChangeQueries(ctx, [
      {
        action: "update",
        entity: "activity",
        entityId: id,
        before: publicActivity(before),
        after: publicActivity(after),
      },
    ]),
    // A new text gets a new reading; other changes leave the stored one standing.
    ...((after.body ?? "") !== (before.body ?? "")
      ? await sentimentWriteQueries(ctx, ai, activitySentimentSubject(publicActivity(after)))
      : []),
  ]);
  return publicActivity(after);
}

export async function deleteActivity(ctx: TenantContext, id: string) {
  const before = await findVisibleActivity(ctx, id);
  assertMayChange(ctx, before);
  await ctx.db.batch([
    ctx.db.deleteQuery(activities, eq(activities.id, id)),
    deleteAiOutputsQuery(ctx, "activity", id),
    ...recordChangeQueries(ctx, [
      { action: "delete", entity: "activity", entityId: id, before: publicActivity(before) },
    ]),
  ]);
}
