// Recommendations: the next best action of each open contact, lead and deal, kept as one
// pending recommendation per record and action type with the engine's explanation and factors,
// and moved through its life cycle (viewed, accepted, dismissed, completed) by people.
import {
  type NextActionType,
  type Recommendation,
  type RecommendationStatus,
  recommendationFrom,
  transitionRecommendation,
} from "@crm/ai";
import {
  type AiRecommendationRecordType,
  aiRecommendations,
  contacts,
  type Database,
  deals,
  leads,
  newId,
  tenants,
} from "@crm/db";
import { ApiError } from "@crm/errors";
import { and, asc, eq, exists, gt, inArray, lt, lte, or, sql, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { TenantContext } from "../../context";
import { afterCursor, orderFor, pageFromRows, parseSort, type SortField } from "../../lists/cursor";
import { visibilityCondition } from "../../records/visibility";
import { canSeeParent, findParentRecord } from "../../timeline/parent-record";
import {
  type RecommendationRecordType,
  type DecisionRows,
  decisionRecordTables,
  type GatheredRecordFacts,
  gatherRecordFacts,
  inGroups,
  openDecisionRecordsCondition,
} from "./facts";

/** Ids per statement: D1 binds at most 100 parameters. */
const idGroup = 90;
import { nextActionDueAt, actionTitles, decideNextBestAction } from "./next-best-action";

export type AiRecommendationRow = typeof aiRecommendations.$inferSelect;

const iso = (at: Date | null) => at?.toISOString() ?? null;

/** Pending or viewed past its expiry: out of the inbox, no longer actionable. */
export function recommendationExpired(row: Pick<AiRecommendationRow, "status" | "expiresAt">, now: Date): boolean {
  return (row.status === "pending" || row.status === "viewed") && row.expiresAt.getTime() <= now.getTime();
}

export function publicRecommendation(row: AiRecommendationRow, now = new Date()) {
  return {
    id: row.id,
    recordType: row.recordType,
    recordId: row.recordId,
    type: row.type as NextActionType,
    title: row.title,
    priority: row.priority,
    confidence: row.confidence,
    status: row.status,
    expired: recommendationExpired(row, now),
    explanation: row.explanation,
    factors: row.factors,
    engine: { engine: row.engine, model: row.model, version: row.version },
    dueAt: row.dueAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    statusChangedBy: row.statusChangedBy,
    statusChangedAt: iso(row.statusChangedAt),
    viewedAt: iso(row.viewedAt),
    acceptedAt: iso(row.acceptedAt),
    dismissedAt: iso(row.dismissedAt),
    completedAt: iso(row.completedAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type PublicRecommendation = ReturnType<typeof publicRecommendation>;

// ---------------------------------------------------------------------------------------------
// Reading and moving recommendations

export const recommendationListStatuses = [
  "pending",
  "viewed",
  "accepted",
  "dismissed",
  "completed",
  "expired",
] as const;
export type RecommendationListStatus = (typeof recommendationListStatuses)[number];

export interface RecommendationListQuery {
  status?: RecommendationListStatus | undefined;
  recordType?: AiRecommendationRecordType | undefined;
  recordId?: string | undefined;
  sort?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

const sortFields: Record<string, SortField> = {
  priority: { column: aiRecommendations.priority, kind: "number" },
  createdAt: { column: aiRecommendations.createdAt, kind: "date" },
  expiresAt: { column: aiRecommendations.expiresAt, kind: "date" },
  dueAt: { column: aiRecommendations.dueAt, kind: "date" },
};

/** Only recommendations on records the caller may see (record visibility "own" for their role). */
async function visibleRecordsCondition(ctx: TenantContext): Promise<SQL | undefined> {
  const [c, l, d] = await Promise.all([
    visibilityCondition(ctx, contacts.ownerId),
    visibilityCondition(ctx, leads.ownerId),
    visibilityCondition(ctx, deals.ownerId),
  ]);
  if (!c && !l && !d) return undefined;
  const typed = (type: AiRecommendationRecordType, ids: SQL | undefined) => {
    const own = eq(aiRecommendations.recordType, type);
    return ids ? and(own, ids) : own;
  };
  return or(
    typed("contact", c && inArray(aiRecommendations.recordId, ctx.db.scopedSelectIds(contacts, contacts.id, c))),
    typed("lead", l && inArray(aiRecommendations.recordId, ctx.db.scopedSelectIds(leads, leads.id, l))),
    typed("deal", d && inArray(aiRecommendations.recordId, ctx.db.scopedSelectIds(deals, deals.id, d))),
  );
}

function statusCondition(status: RecommendationListStatus, now: Date): SQL {
  if (status === "expired")
    return and(inArray(aiRecommendations.status, ["pending", "viewed"]), lte(aiRecommendations.expiresAt, now))!;
  if (status === "pending" || status === "viewed")
    return and(eq(aiRecommendations.status, status), gt(aiRecommendations.expiresAt, now))!;
  return eq(aiRecommendations.status, status);
}

/** A page of recommendations, highest priority first by default. */
export async function listRecommendations(ctx: TenantContext, query: RecommendationListQuery, now = new Date()) {
  const sort = parseSort(query.sort, sortFields, "-priority");
  const where = and(
    query.status ? statusCondition(query.status, now) : undefined,
    query.recordType ? eq(aiRecommendations.recordType, query.recordType) : undefined,
    query.recordId ? eq(aiRecommendations.recordId, query.recordId) : undefined,
    await visibleRecordsCondition(ctx),
    afterCursor(sort, aiRecommendations.id, query.cursor),
  );
  const rows = await ctx.db.findMany(aiRecommendations, {
    where,
    orderBy: orderFor(sort, aiRecommendations.id),
    limit: query.limit + 1,
  });
  const page = pageFromRows(rows, query.limit, sort, (row) => row[sort.key as keyof AiRecommendationRow]);
  return { data: page.rows.map((row) => publicRecommendation(row, now)), nextCursor: page.nextCursor };
}

/** A recommendation on a record the caller can see; otherwise (and for another tenant's) a 404. */
async function findVisibleRecommendation(ctx: TenantContext, id: string): Promise<AiRecommendationRow> {
  const row = await ctx.db.findFirst(aiRecommendations, eq(aiRecommendations.id, id));
  const record = row && (await findParentRecord(ctx, row.recordType, row.recordId));
  if (!row || !record || !(await canSeeParent(ctx, row.recordType, record)))
    throw new ApiError("NOT_FOUND", `Recommendation ${id} was not found`);
  return row;
}

export async function getRecommendation(ctx: TenantContext, id: string, now = new Date()) {
  return publicRecommendation(await findVisibleRecommendation(ctx, id), now);
}

function engineRecommendation(row: AiRecommendationRow): Recommendation {
  return {
    type: row.type as NextActionType,
    recordType: row.recordType,
    recordId: row.recordId,
    priority: row.priority,
    confidence: row.confidence,
    status: row.status,
    reasoning: row.explanation,
    engine: { engine: row.engine as "builtin" | "workers-ai", model: row.model, version: row.version },
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    viewedAt: iso(row.viewedAt),
    acceptedAt: iso(row.acceptedAt),
    dismissedAt: iso(row.dismissedAt),
    completedAt: iso(row.completedAt),
  };
}

const stampColumn = {
  viewed: "viewedAt",
  accepted: "acceptedAt",
  dismissed: "dismissedAt",
  completed: "completedAt",
} as const;

/**
 * Moves a recommendation to `status` when its life cycle allows it: pending → viewed →
 * accepted or dismissed, accepted → completed; an expired one can only be dismissed. Anything
 * else is a 422 at body.status saying which moves are open.
 */
export async function updateRecommendationStatus(
  ctx: TenantContext,
  id: string,
  status: RecommendationStatus,
  now = new Date(),
) {
  const row = await findVisibleRecommendation(ctx, id);
  const moved = transitionRecommendation(engineRecommendation(row), status, now);
  if (!moved.ok)
    throw new ApiError("VALIDATION_FAILED", moved.message, {
      errors: [{ path: "body.status", message: moved.message }],
      extensions: { reason: moved.code },
    });
  if (status === "pending") throw new Error("unreachable: nothing moves back to pending");
  // Only from the status read: a concurrent move in between makes this one a conflict.
  const [updated] = await ctx.db.update(
    aiRecommendations,
    {
      status,
      [stampColumn[status]]: now,
      statusChangedBy: ctx.actor.id,
      statusChangedAt: now,
      updatedAt: now,
    },
    and(eq(aiRecommendations.id, id), eq(aiRecommendations.status, row.status))!,
  );
  if (!updated)
    throw new ApiError("CONFLICT", `Recommendation ${id} changed meanwhile; read it again`, {
      extensions: { currentStatus: (await findVisibleRecommendation(ctx, id)).status },
    });
  return publicRecommendation(updated, now);
}

// ---------------------------------------------------------------------------------------------
// Generation

/** Records decided per chunk: one page read, a handful of fact reads, one D1 batch. */
export const recommendChunkSize = 100;

/** Generation visits contacts, then leads, then deals, each in id order. */
export const recommendationRecordTypes = ["contact", "lead", "deal"] as const satisfies RecommendationRecordType[];

export interface RecommendationCounts {
  /** Records decided. */
  records: number;
  /** New pending recommendations. */
  created: number;
  /** Pending ones rewritten for an action whose priority, confidence or reasons changed. */
  updated: number;
  /** Pending ones whose action is the same as before (their expiry moves on). */
  unchanged: number;
  /** Pending ones dropped: the record's action changed, it needs none now, or the record is gone. */
  removed: number;
  /** Actions not offered again because a person already has them in hand (viewed, accepted, dismissed or completed, not yet expired). */
  alreadyHandled: number;
}

export const noRecommendationCounts = (): RecommendationCounts => ({
  records: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  removed: 0,
  alreadyHandled: 0,
});

export function addRecommendationCounts(a: RecommendationCounts, b: RecommendationCounts): RecommendationCounts {
  return {
    records: a.records + b.records,
    created: a.created + b.created,
    updated: a.updated + b.updated,
    unchanged: a.unchanged + b.unchanged,
    removed: a.removed + b.removed,
    alreadyHandled: a.alreadyHandled + b.alreadyHandled,
  };
}

/** Where a generation run is: the record type and the last id decided. */
export interface RecommendPosition {
  recordType: RecommendationRecordType;
  afterId: string | null;
}

const sameContent = (row: AiRecommendationRow, next: Omit<AiRecommendationRow, "tenantId">) =>
  row.priority === next.priority &&
  row.confidence === next.confidence &&
  row.title === next.title &&
  row.explanation === next.explanation &&
  row.dueAt.getTime() === next.dueAt.getTime();

/**
 * The row a decision makes (null when there is nothing to do). An action due now keeps the due
 * date it was first suggested with (`pendingDueAt`), so a rerun does not move it.
 */
function recommendationRow(
  gathered: GatheredRecordFacts,
  at: Date,
  pendingDueAt: (type: string) => Date | undefined,
): Omit<AiRecommendationRow, "tenantId"> | null {
  const decision = decideNextBestAction(gathered, at);
  const suggestion = recommendationFrom(decision, at);
  if (!suggestion) return null;
  return {
    id: newId("aiRecommendation"),
    recordType: suggestion.recordType,
    recordId: suggestion.recordId,
    type: suggestion.type,
    title: `${actionTitles[suggestion.type]}: ${gathered.name}`,
    priority: suggestion.priority,
    confidence: suggestion.confidence,
    explanation: decision.explanation,
    factors: decision.factors.map((f) => ({
      name: f.name,
      impact: f.impact,
      ...(f.value !== undefined ? { value: f.value } : {}),
    })),
    engine: decision.engine.engine,
    model: decision.engine.model,
    version: decision.engine.version,
    status: "pending",
    dueAt: nextActionDueAt(decision, gathered) ?? pendingDueAt(suggestion.type) ?? at,
    expiresAt: new Date(suggestion.expiresAt),
    generatedAt: at,
    statusChangedBy: null,
    statusChangedAt: null,
    viewedAt: null,
    acceptedAt: null,
    dismissedAt: null,
    completedAt: null,
    createdAt: at,
    updatedAt: at,
  };
}

/**
 * Decides one chunk of records (those of `recordType` after `afterId` in id order) and, in one
 * D1 batch, writes their recommendations: the pending one of the record's action is created or
 * rewritten in place (the unique pending index makes a rerun update, never add), pending ones
 * of other actions are dropped, and an action a person already has in hand is not offered again
 * until that one expires. Returns the chunk's last id, or null after the type's last record.
 */
export async function recommendChunk(
  ctx: TenantContext,
  recordType: RecommendationRecordType,
  afterId: string | null,
  at: Date,
): Promise<{ nextAfterId: string | null; counts: RecommendationCounts }> {
  const table = decisionRecordTables[recordType];
  const rows = (await ctx.db.findMany(table, {
    where: and(afterId ? gt(table.id, afterId) : undefined, openDecisionRecordsCondition(recordType)),
    orderBy: asc(table.id),
    limit: recommendChunkSize,
  })) as DecisionRows[typeof recordType][];
  const counts = noRecommendationCounts();
  if (rows.length === 0) return { nextAfterId: null, counts };
  const ids = rows.map((r) => r.id);
  const [facts, existing] = await Promise.all([
    gatherRecordFacts(ctx, recordType, rows, at),
    inGroups(ids, (group) =>
      ctx.db.findMany(aiRecommendations, {
        where: and(eq(aiRecommendations.recordType, recordType), inArray(aiRecommendations.recordId, group)),
      }),
    ),
  ]);
  const byRecord = new Map<string, AiRecommendationRow[]>();
  for (const row of existing) byRecord.set(row.recordId, [...(byRecord.get(row.recordId) ?? []), row]);

  const queries: BatchItem<"sqlite">[] = [];
  const dropped: string[] = [];
  for (const gathered of facts) {
    counts.records += 1;
    const mine = byRecord.get(gathered.facts.recordId) ?? [];
    const next = recommendationRow(
      gathered,
      at,
      (type) => mine.find((row) => row.type === type && row.status === "pending")?.dueAt,
    );
    for (const row of mine)
      if (row.status === "pending" && row.type !== next?.type) {
        dropped.push(row.id);
        counts.removed += 1;
      }
    if (!next) continue;
    const handled = mine.some(
      (row) => row.type === next.type && row.status !== "pending" && row.expiresAt.getTime() > at.getTime(),
    );
    const pending = mine.find((row) => row.type === next.type && row.status === "pending");
    if (handled) {
      if (pending) {
        dropped.push(pending.id);
        counts.removed += 1;
      }
      counts.alreadyHandled += 1;
      continue;
    }
    if (!pending) counts.created += 1;
    else if (sameContent(pending, next)) counts.unchanged += 1;
    else counts.updated += 1;
    const { id: _id, createdAt: _createdAt, recordType: _rt, recordId: _ri, type: _t, status: _s, ...changes } = next;
    queries.push(
      ctx.db.insertQuery(aiRecommendations, next).onConflictDoUpdate({
        target: [
          aiRecommendations.tenantId,
          aiRecommendations.recordType,
          aiRecommendations.recordId,
          aiRecommendations.type,
        ],
        // The unique index's own condition, as a literal: SQLite matches a partial index's upsert by it.
        targetWhere: sql`status = 'pending'`,
        set: changes,
      }),
    );
  }
  for (let i = 0; i < dropped.length; i += idGroup)
    queries.push(ctx.db.deleteQuery(aiRecommendations, inArray(aiRecommendations.id, dropped.slice(i, i + idGroup))));
  if (queries.length > 0) await ctx.db.batch(queries as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return { nextAfterId: rows.length === recommendChunkSize ? rows[rows.length - 1]!.id : null, counts };
}

/** The position after a chunk: the same type from its last id, the next type, or null at the end. */
export function nextRecommendPosition(
  position: RecommendPosition,
  nextAfterId: string | null,
): RecommendPosition | null {
  if (nextAfterId) return { recordType: position.recordType, afterId: nextAfterId };
  const next = recommendationRecordTypes[recommendationRecordTypes.indexOf(position.recordType) + 1];
  return next ? { recordType: next, afterId: null } : null;
}

/**
 * The end of a run: pending recommendations it did not write are on records that are gone or
 * closed (a won deal, a converted lead), so they go. Returns how many.
 */
export async function finishRecommendationRun(ctx: TenantContext, at: Date): Promise<number> {
  const dropped = await ctx.db.delete(
    aiRecommendations,
    and(eq(aiRecommendations.status, "pending"), lt(aiRecommendations.generatedAt, at))!,
  );
  return dropped.length;
}

/**
 * Runs chunks from `from` until the run ends or the budget (chunks, milliseconds) is spent.
 * Returns the counts and where to go on from (null when the run finished).
 */
export async function runRecommendChunks(
  ctx: TenantContext,
  from: RecommendPosition,
  at: Date,
  budget: { chunks: number; ms: number },
): Promise<{ counts: RecommendationCounts; next: RecommendPosition | null }> {
  const began = Date.now();
  let counts = noRecommendationCounts();
  let position: RecommendPosition | null = from;
  for (let n = 0; position && n < budget.chunks && Date.now() - began < budget.ms; n++) {
    const chunk = await recommendChunk(ctx, position.recordType, position.afterId, at);
    counts = addRecommendationCounts(counts, chunk.counts);
    position = nextRecommendPosition(position, chunk.nextAfterId);
  }
  if (!position) counts.removed += await finishRecommendationRun(ctx, at);
  return { counts, next: position };
}

/** How many pending, unexpired recommendations the tenant has now. */
export async function pendingRecommendationCount(ctx: TenantContext, now = new Date()): Promise<number> {
  return ctx.db.count(aiRecommendations, statusCondition("pending", now));
}

/** Tenants with at least one contact, lead or deal: the hourly Cron queues a generation for each. */
export async function findTenantsWithRecords(db: Database, limit = 5000): Promise<string[]> {
  const has = (table: typeof contacts | typeof leads | typeof deals) =>
    exists(db.select({ one: table.id }).from(table).where(eq(table.tenantId, tenants.id)).limit(1));
  const rows = await db
    .select({ id: tenants.id })
    .from(tenants)
    .where(or(has(contacts), has(leads), has(deals)))
    .orderBy(asc(tenants.id))
    .limit(limit);
  return rows.map((r) => r.id);
}
