import {
  type CampaignAudience,
  type CampaignGoal,
  type campaignStatuses,
  campaigns,
  newId,
  sequenceEnrollments,
  sequences,
} from "@crm/db";
import { ApiError } from "@crm/errors";
import { and, desc, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import { auditQuery } from "../audit";
import type { TenantContext } from "../context";
import { type AudienceEnrollment, audienceContactIds, checkAudience, enrollAudience } from "./audience";
import { containsText } from "../lists";

export type CampaignRow = typeof campaigns.$inferSelect;
export type CampaignStatus = (typeof campaignStatuses)[number];

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function publicCampaign(row: CampaignRow, enrolled: number) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    sequenceId: row.sequenceId,
    audience: row.audience,
    goal: row.goal ?? null,
    status: row.status,
    enrolled,
    clonedFrom: row.clonedFrom,
    startedAt: iso(row.startedAt),
    pausedAt: iso(row.pausedAt),
    completedAt: iso(row.completedAt),
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type PublicCampaign = ReturnType<typeof publicCampaign>;

function audited(row: CampaignRow) {
  const { enrolled: _enrolled, ...rest } = publicCampaign(row, 0);
  return rest;
}

/** Enrollments per campaign, in one grouped read over the campaign index. */
async function enrolledCounts(ctx: TenantContext, ids: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (ids.length === 0) return counts;
  const rows = await ctx.db.aggregateQuery(
    sequenceEnrollments,
    { campaignId: sequenceEnrollments.campaignId, n: sql<number>`count(*)` },
    { where: inArray(sequenceEnrollments.campaignId, ids), groupBy: [sequenceEnrollments.campaignId] },
  );
  for (const row of rows) if (row.campaignId) counts.set(row.campaignId, Number(row.n));
  return counts;
}

/**
 * A running campaign is completed once none of its enrollments is live (every contact
 * finished or left the sequence): one statement for the tenant, run before campaigns are read.
 */
async function completeFinishedCampaigns(ctx: TenantContext, now: Date): Promise<void> {
  await ctx.db.update(
    campaigns,
    { status: "completed", completedAt: now, updatedAt: now },
    and(
      eq(campaigns.status, "running"),
      isNull(campaigns.deletedAt),
      sql`not exists (select 1 from ${sequenceEnrollments} where ${sequenceEnrollments.tenantId} = ${campaigns.tenantId} and ${sequenceEnrollments.campaignId} = ${campaigns.id} and ${sequenceEnrollments.status} in ('active', 'paused'))`,
    )!,
  );
}

/** The campaign if it exists (and is not deleted) in the tenant; 404 otherwise. */
export async function findCampaign(ctx: TenantContext, id: string): Promise<CampaignRow> {
  const row = await ctx.db.findFirst(campaigns, and(eq(campaigns.id, id), isNull(campaigns.deletedAt))!);
  if (!row) throw new ApiError("NOT_FOUND", `Campaign ${id} was not found`);
  return row;
}

async function withCount(ctx: TenantContext, row: CampaignRow) {
  return publicCampaign(row, (await enrolledCounts(ctx, [row.id])).get(row.id) ?? 0);
}

export async function getCampaign(ctx: TenantContext, id: string) {
  await completeFinishedCampaigns(ctx, new Date());
  return withCount(ctx, await findCampaign(ctx, id));
}

export interface CampaignListFilters {
  limit: number;
  cursor?: string | undefined;
  q?: string | undefined;
  status?: CampaignStatus | undefined;
  sequenceId?: string | undefined;
}

export async function listCampaigns(ctx: TenantContext, filters: CampaignListFilters) {
  await completeFinishedCampaigns(ctx, new Date());
  const q = filters.q?.trim().toLowerCase();
  const rows = await ctx.db.findMany(campaigns, {
    where: and(
      isNull(campaigns.deletedAt),
      filters.cursor ? lt(campaigns.id, filters.cursor) : undefined,
      filters.status ? eq(campaigns.status, filters.status) : undefined,
      filters.sequenceId ? eq(campaigns.sequenceId, filters.sequenceId) : undefined,
      q ? containsText(campaigns.name, q) : undefined,
    ),
    orderBy: desc(campaigns.id),
    limit: filters.limit + 1,
  });
  const page = rows.slice(0, filters.limit);
  const counts = await enrolledCounts(
    ctx,
    page.map((r) => r.id),
  );
  return {
    data: page.map((row) => publicCampaign(row, counts.get(row.id) ?? 0)),
    nextCursor: rows.length > filters.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/** The sequence a campaign sends: it must exist in the tenant and not be archived. */
async function sendableSequence(ctx: TenantContext, sequenceId: string, path: string) {
  const sequence = await ctx.db.findFirst(sequences, and(eq(sequences.id, sequenceId), isNull(sequences.deletedAt))!);
  if (!sequence) {
    throw new ApiError("VALIDATION_FAILED", "The sequence was not found", {
      errors: [{ path, message: "No sequence has this id" }],
    });
  }
  if (sequence.status === "archived") {
    throw new ApiError("VALIDATION_FAILED", "The sequence is archived", {
      errors: [{ path, message: "This sequence is archived" }],
    });
  }
  return sequence;
}

export interface CreateCampaignInput {
  name: string;
  description?: string | null | undefined;
  sequenceId: string;
  audience: CampaignAudience;
  goal?: CampaignGoal | null | undefined;
}

export async function createCampaign(ctx: TenantContext, input: CreateCampaignInput) {
  await sendableSequence(ctx, input.sequenceId, "body.sequenceId");
  await checkAudience(ctx, input.audience);
  const now = new Date();
  const row: CampaignRow = {
    id: newId("campaign"),
    tenantId: ctx.tenant.id,
    name: input.name.trim(),
    description: input.description?.trim() || null,
    sequenceId: input.sequenceId,
    audience: input.audience,
    goal: input.goal ?? null,
    status: "draft",
    clonedFrom: null,
    startedAt: null,
    pausedAt: null,
    completedAt: null,
    createdBy: ctx.actor.id,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
  await saveNew(ctx, row);
  return publicCampaign(row, 0);
}

async function saveNew(ctx: TenantContext, row: CampaignRow) {
  const { tenantId: _tenantId, ...values } = row;
  await ctx.db.batch([
    ctx.db.insertQuery(campaigns, values),
    auditQuery(ctx, { action: "create", entity: "campaign", entityId: row.id, after: audited(row) }),
  ]);
}

export interface UpdateCampaignInput {
  name?: string | undefined;
  description?: string | null | undefined;
  sequenceId?: string | undefined;
  audience?: CampaignAudience | undefined;
  goal?: CampaignGoal | null | undefined;
}

/** Name, description and goal change at any time; the sequence and audience only in a draft. */
export async function updateCampaign(ctx: TenantContext, id: string, input: UpdateCampaignInput) {
  const before = await findCampaign(ctx, id);
  if (before.status !== "draft") {
    const locked = (["sequenceId", "audience"] as const).filter(
      (key) => input[key] !== undefined && JSON.stringify(input[key]) !== JSON.stringify(before[key]),
    );
    if (locked.length > 0) {
      throw new ApiError("VALIDATION_FAILED", `A ${before.status} campaign keeps its sequence and audience`, {
        errors: locked.map((key) => ({ path: `body.${key}`, message: "Only a draft campaign's can change" })),
      });
    }
  }
  if (input.sequenceId !== undefined && input.sequenceId !== before.sequenceId) {
    await sendableSequence(ctx, input.sequenceId, "body.sequenceId");
  }
  if (input.audience !== undefined) await checkAudience(ctx, input.audience);
  const after: CampaignRow = {
    ...before,
    name: input.name?.trim() ?? before.name,
    description: input.description === undefined ? before.description : input.description?.trim() || null,
    sequenceId: input.sequenceId ?? before.sequenceId,
    audience: input.audience ?? before.audience,
    goal: input.goal === undefined ? before.goal : input.goal,
    updatedAt: new Date(),
  };
  await ctx.db.batch([
    ctx.db.updateQuery(
      campaigns,
      {
        name: after.name,
        description: after.description,
        sequenceId: after.sequenceId,
        audience: after.audience,
        goal: after.goal,
        updatedAt: after.updatedAt,
      },
      eq(campaigns.id, id),
    ),
    auditQuery(ctx, {
      action: "update",
      entity: "campaign",
      entityId: id,
      before: audited(before),
      after: audited(after),
    }),
  ]);
  return withCount(ctx, after);
}

/**
 * Deletes a campaign that is not running (pause it first): its paused enrollments end as
 * unenrolled; messages already sent keep their campaign id for the outbox.
 */
export async function deleteCampaign(ctx: TenantContext, id: string): Promise<void> {
  const row = await findCampaign(ctx, id);
  if (row.status === "running") throw new ApiError("CONFLICT", "A running campaign cannot be deleted: pause it first");
  const now = new Date();
  await ctx.db.batch([
    ctx.db.updateQuery(campaigns, { deletedAt: now, updatedAt: now }, eq(campaigns.id, id)),
    ctx.db.updateQuery(
      sequenceEnrollments,
      { status: "unenrolled", endedAt: now, updatedAt: now },
      and(eq(sequenceEnrollments.campaignId, id), inArray(sequenceEnrollments.status, ["active", "paused"]))!,
    ),
    auditQuery(ctx, { action: "delete", entity: "campaign", entityId: id, before: audited(row) }),
  ]);
}

function wrongStatus(row: CampaignRow, action: string, expected: CampaignStatus): never {
  throw new ApiError("CONFLICT", `Only a ${expected} campaign can be ${action}; this one is ${row.status}`, {
    extensions: { status: row.status },
  });
}

/** The status change, only if the campaign is still in the status it was read in (two starts race). */
function transitionQuery(ctx: TenantContext, row: CampaignRow, set: Partial<CampaignRow>) {
  const { tenantId: _t, id: _i, ...values } = set;
  return ctx.db.updateQuery(campaigns, values, and(eq(campaigns.id, row.id), eq(campaigns.status, row.status))!);
}

/**
 * Starts a draft: enrolls every contact its audience matches now in the sequence (source
 * `campaign`) and marks it running, in one batch.
 */
export async function startCampaign(ctx: TenantContext, id: string) {
  const row = await findCampaign(ctx, id);
  if (row.status !== "draft") wrongStatus(row, "started", "draft");
  const sequence = await sendableSequence(ctx, row.sequenceId, "sequenceId").catch((error: unknown) => {
    if (error instanceof ApiError) throw new ApiError("CONFLICT", `Campaign ${id} cannot start: ${error.message}`);
    throw error;
  });
  const filters = await checkAudience(ctx, row.audience).catch((error: unknown) => {
    if (error instanceof ApiError) throw new ApiError("CONFLICT", `Campaign ${id} cannot start: ${error.message}`);
    throw error;
  });
  const contactIds = await audienceContactIds(ctx, filters);
  if (contactIds.length === 0)
    throw new ApiError("CONFLICT", `Campaign ${id} cannot start: its audience matches no contacts`);
  const now = new Date();
  // Enrolled first: if this start fails half way, starting again enrolls the rest (no doubles).
  const result = await enrollAudience(ctx, { campaignId: id, sequence, contactIds, now });
  const after: CampaignRow = { ...row, status: "running", startedAt: now, updatedAt: now };
  await ctx.db.batch([
    transitionQuery(ctx, row, { status: "running", startedAt: now, updatedAt: now }),
    auditQuery(ctx, {
      action: "update",
      entity: "campaign",
      entityId: id,
      before: audited(row),
      after: audited(after),
    }),
  ]);
  return { campaign: await withCount(ctx, after), ...summary(result, contactIds.length) };
}

function summary(result: AudienceEnrollment, matched: number) {
  return { matched, enrolled: result.enrolled, alreadyEnrolled: result.alreadyEnrolled, skipped: result.skipped };
}

/**
 * Pauses a running campaign: its active enrollments pause with the campaign's own pause
 * time, so a resume wakes exactly those (ones paused by hand before stay paused).
 */
export async function pauseCampaign(ctx: TenantContext, id: string) {
  const row = await findCampaign(ctx, id);
  if (row.status !== "running") wrongStatus(row, "paused", "running");
  const now = new Date();
  const after: CampaignRow = { ...row, status: "paused", pausedAt: now, updatedAt: now };
  await ctx.db.batch([
    transitionQuery(ctx, row, { status: "paused", pausedAt: now, updatedAt: now }),
    ctx.db.updateQuery(
      sequenceEnrollments,
      { status: "paused", pausedAt: now, updatedAt: now },
      and(eq(sequenceEnrollments.campaignId, id), eq(sequenceEnrollments.status, "active"))!,
    ),
    auditQuery(ctx, {
      action: "update",
      entity: "campaign",
      entityId: id,
      before: audited(row),
      after: audited(after),
    }),
  ]);
  return withCount(ctx, after);
}

/** Resumes a paused campaign and the enrollments its pause paused; steps overdue meanwhile are due at once. */
export async function resumeCampaign(ctx: TenantContext, id: string) {
  const row = await findCampaign(ctx, id);
  if (row.status !== "paused" || !row.pausedAt) wrongStatus(row, "resumed", "paused");
  const now = new Date();
  const after: CampaignRow = { ...row, status: "running", pausedAt: null, updatedAt: now };
  await ctx.db.batch([
    transitionQuery(ctx, row, { status: "running", pausedAt: null, updatedAt: now }),
    ctx.db.updateQuery(
      sequenceEnrollments,
      { status: "active", pausedAt: null, updatedAt: now },
      and(
        eq(sequenceEnrollments.campaignId, id),
        eq(sequenceEnrollments.status, "paused"),
        eq(sequenceEnrollments.pausedAt, row.pausedAt),
      )!,
    ),
    auditQuery(ctx, {
      action: "update",
      entity: "campaign",
      entityId: id,
      before: audited(row),
      after: audited(after),
    }),
  ]);
  return withCount(ctx, after);
}

/** A new draft with the same sequence, audience and goal, named "<name> (copy)" unless named. */
export async function cloneCampaign(ctx: TenantContext, id: string, input: { name?: string | undefined } = {}) {
  const source = await findCampaign(ctx, id);
  const now = new Date();
  const row: CampaignRow = {
    ...source,
    id: newId("campaign"),
    name: input.name?.trim() || `${source.name} (copy)`.slice(0, 200),
    status: "draft",
    clonedFrom: source.id,
    startedAt: null,
    pausedAt: null,
    completedAt: null,
    createdBy: ctx.actor.id,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
  await saveNew(ctx, row);
  return publicCampaign(row, 0);
}
