import {
  activities,
  aiModels,
  type AiModelKind,
  type AiRescoreMode,
  type AiRescoreTrigger,
  type AiScoredRecordType,
  aiRescoreChunks,
  aiRescoreJobs,
  aiScoreHistory as aiScoreHistoryTable,
  aiScores,
  contacts,
  leads,
  newId,
  outreachMessages,
  type Database,
  tenants,
} from "@crm/db";
import { churnRisk, type LeadSignals, type ScoringModel } from "@crm/ai";
import { ApiError } from "@crm/errors";
import type { BatchItem } from "drizzle-orm/batch";
import { and, asc, desc, eq, exists, inArray, lt, type SQL, sql } from "drizzle-orm";
import type { Actor } from "../access";
import { isUniqueViolation } from "../batch-guard";
import type { ContactRow } from "../contacts/public";
import type { LeadRow } from "../leads/serialize";
import type { TenantContext } from "../context";
import { leadPageById, leadRecordScoreQueries, leadRecordScoringSetup, leadSignalsOf } from "./lead-scores";
import { activeModel } from "./models";
import { contactFeatureRow, contactPage, contactProfile } from "./records";
import { leadScoreQueries, leadScoringSetup, storedScores } from "./scores";

export type AiRescoreJobRow = typeof aiRescoreJobs.$inferSelect;

/** Records per rescoring chunk: one page read, a few signal reads, one D1 batch. */
export const rescoreChunkSize = 100;

/** What each kind of score covers, in the order a job scores them: lead scores, contacts then leads; churn, customers. */
export function rescoreObjectTypes(kind: AiModelKind): AiScoredRecordType[] {
  return kind === "lead_score" ? ["contact", "lead"] : ["contact"];
}

/** Churn risk is about customers: the contacts at the customer (or evangelist) stage. */
const customersOnly = (): SQL => inArray(contacts.lifecycleStage, ["customer", "evangelist"]);

/** Records a scheduled (stale-only) job scores at most: one hourly tick never floods the queue. */
export const staleRescoreCapPerTick = 2_000;

/**
 * A record is fresh when its stored score of `kind` was written at or after the record's last
 * edit (`updated_at`) and nothing on its timeline was written since: no activity, note or task
 * created or edited (their `updated_at`: a task marked done counts), and for a contact no
 * outreach event (sent, opened, clicked, replied, bounced, ...) that occurred since. Every check
 * is indexed: the score by ai_scores' primary key; activities, notes and tasks by their
 * (tenant, record type, record id, …) index, reading only that record's few rows; outreach events
 * by (tenant, contact, occurred_at), a seek. So finding stale records is one pass over the tenant's
 * ids with a handful of probes each, and no write path has to remember to mark anything.
 * Stale is everything else, never-scored records included.
 */
function staleCondition(kind: AiModelKind, objectType: AiScoredRecordType): SQL {
  const record = objectType === "lead" ? leads : contacts;
  const outreach =
    objectType === "contact"
      ? sql`and not exists (select 1 from outreach_events e where e.tenant_id = s.tenant_id and e.contact_id = s.record_id and e.occurred_at > s.scored_at)`
      : sql``;
  return sql`not exists (select 1 from ai_scores s
    where s.tenant_id = ${record.tenantId} and s.record_type = ${objectType} and s.record_id = ${record.id} and s.kind = ${kind}
      and s.scored_at >= ${record.updatedAt}
      and not exists (select 1 from activities a where a.tenant_id = s.tenant_id and a.record_type = s.record_type and a.record_id = s.record_id and a.updated_at > s.scored_at)
      and not exists (select 1 from notes n where n.tenant_id = s.tenant_id and n.record_type = s.record_type and n.record_id = s.record_id and n.updated_at > s.scored_at)
      and not exists (select 1 from tasks t where t.tenant_id = s.tenant_id and t.record_type = s.record_type and t.record_id = s.record_id and t.updated_at > s.scored_at)
      ${outreach})`;
}

/** The records of one type a job walks: the kind's (customers for churn), only the stale ones in stale mode. */
function recordsToScore(kind: AiModelKind, objectType: AiScoredRecordType, mode: AiRescoreMode): SQL | undefined {
  return and(
    objectType === "contact" && kind === "churn" ? customersOnly() : undefined,
    mode === "stale" ? staleCondition(kind, objectType) : undefined,
  );
}

/** How many records of one type a job scores (counting stops at `cap`: a stale count walks the ids). */
async function countToScore(
  ctx: TenantContext,
  kind: AiModelKind,
  objectType: AiScoredRecordType,
  mode: AiRescoreMode = "all",
  cap = Infinity,
): Promise<number> {
  const table = objectType === "lead" ? leads : contacts;
  const where = recordsToScore(kind, objectType, mode);
  if (cap === Infinity) return ctx.db.count(table, where);
  if (cap <= 0) return 0;
  return (await ctx.db.scopedSelectIds(table, table.id, where).limit(cap)).length;
}

type ScorePage = { objectType: "lead"; rows: LeadRow[] } | { objectType: "contact"; rows: ContactRow[] };

async function pageToScore(
  ctx: TenantContext,
  job: AiRescoreJobRow,
  objectType: AiScoredRecordType,
  afterId: string | null,
  limit: number,
): Promise<ScorePage> {
  const where = recordsToScore(job.kind, objectType, job.mode);
  if (objectType === "lead") return { objectType, rows: await leadPageById(ctx, afterId, limit, where) };
  return { objectType, rows: await contactPage(ctx, afterId, limit, where) };
}

/** The first type after `objectType` the job still has records of, or null when none has. */
async function nextTypeToScore(
  ctx: TenantContext,
  job: AiRescoreJobRow,
  objectType: AiScoredRecordType,
): Promise<RescoreChunkResult["next"]> {
  const types = rescoreObjectTypes(job.kind);
  for (const type of types.slice(types.indexOf(objectType) + 1))
    if ((await countToScore(ctx, job.kind, type, job.mode, job.mode === "stale" ? 1 : Infinity)) > 0)
      return { objectType: type, afterId: null };
  return null;
}

export function publicRescoreJob(row: AiRescoreJobRow) {
  return {
    id: row.id,
    kind: row.kind,
    objectTypes: rescoreObjectTypes(row.kind),
    objectType: row.objectType,
    mode: row.mode,
    trigger: row.trigger,
    startedBy: { type: String(row.startedBy.type), id: String(row.startedBy.id) },
    status: row.status,
    total: row.total,
    scored: row.scored,
    chunksDone: row.chunksDone,
    progress: row.total === 0 ? 1 : Math.min(1, row.scored / row.total),
    failureReason: row.failureReason,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

/**
 * Queues the rescoring of every record the kind covers (lead scores: contacts and leads; churn
 * risk: customers), or in `stale` mode only those changed since their score; the caller enqueues
 * its first chunk, of the job's `objectType`.
 */
export async function startRescore(ctx: TenantContext, input: { kind: AiModelKind; mode?: AiRescoreMode }) {
  if (input.kind === "churn" && !(await activeModel(ctx, "churn")))
    throw new ApiError("VALIDATION_FAILED", "This organization has no churn model to rescore with", {
      errors: [{ path: "body.kind", message: "Train a churn model first (POST /api/v1/ai/models)" }],
    });
  return publicRescoreJob(await createRescoreJob(ctx, input.kind, input.mode ?? "all", "person"));
}

/**
 * A rescoring nobody asked for: after a training activated a new model (`retrain`, every
 * record) or from the hourly Cron (`schedule`, only the stale records, at most
 * `staleRescoreCapPerTick`). Returns null, queuing nothing, when the tenant already has an
 * unfinished job of that kind (whoever started it) or there is nothing to score.
 */
export async function queueAutomaticRescore(
  ctx: TenantContext,
  input: { kind: AiModelKind; trigger: Exclude<AiRescoreTrigger, "person"> },
): Promise<ReturnType<typeof publicRescoreJob> | null> {
  const unfinished = await ctx.db.findFirst(
    aiRescoreJobs,
    and(eq(aiRescoreJobs.kind, input.kind), inArray(aiRescoreJobs.status, ["queued", "running"])),
  );
  if (unfinished) return null;
  if (input.kind === "churn" && !(await activeModel(ctx, "churn"))) return null;
  const mode = input.trigger === "schedule" ? "stale" : "all";
  try {
    const row = await createRescoreJob(ctx, input.kind, mode, input.trigger, (total) => total > 0);
    return row ? publicRescoreJob(row) : null;
  } catch (error) {
    // Another retraining or tick queued one first (at most one unfinished automatic job per kind).
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

async function createRescoreJob(
  ctx: TenantContext,
  kind: AiModelKind,
  mode: AiRescoreMode,
  trigger: AiRescoreTrigger,
): Promise<AiRescoreJobRow>;
async function createRescoreJob(
  ctx: TenantContext,
  kind: AiModelKind,
  mode: AiRescoreMode,
  trigger: AiRescoreTrigger,
  worthQueuing: (total: number) => boolean,
): Promise<AiRescoreJobRow | null>;
async function createRescoreJob(
  ctx: TenantContext,
  kind: AiModelKind,
  mode: AiRescoreMode,
  trigger: AiRescoreTrigger,
  worthQueuing?: (total: number) => boolean,
): Promise<AiRescoreJobRow | null> {
  const types = rescoreObjectTypes(kind);
  const counts: number[] = [];
  // A stale job counts up to its cap, type after type (contacts first), walking ids only.
  let left = mode === "stale" ? staleRescoreCapPerTick : Infinity;
  for (const type of types) {
    const n = await countToScore(ctx, kind, type, mode, left);
    counts.push(n);
    left -= n;
  }
  const total = counts.reduce((sum, n) => sum + n, 0);
  if (worthQueuing && !worthQueuing(total)) return null;
  const now = new Date();
  const row: AiRescoreJobRow = {
    id: newId("aiRescoreJob"),
    tenantId: ctx.tenant.id,
    kind,
    mode,
    trigger,
    // The first type with records to score: no empty chunk for a tenant without contacts.
    objectType: types[counts.findIndex((n) => n > 0)] ?? types[0]!,
    status: total === 0 ? "completed" : "queued",
    total,
    scored: 0,
    chunksDone: 0,
    startedBy: ctx.actor as unknown as Record<string, unknown>,
    failureReason: null,
    createdAt: now,
    finishedAt: total === 0 ? now : null,
  };
  const { tenantId: _tenantId, ...values } = row;
  await ctx.db.insert(aiRescoreJobs, values);
  return row;
}

/** The tenant's rescoring jobs, newest first (ids are time-ordered), whoever or whatever started them. */
export async function listRescoreJobs(
  ctx: TenantContext,
  filters: { kind?: AiModelKind; limit: number; cursor?: string },
) {
  const where = and(
    filters.kind ? eq(aiRescoreJobs.kind, filters.kind) : undefined,
    filters.cursor ? lt(aiRescoreJobs.id, filters.cursor) : undefined,
  );
  const rows = await ctx.db.findMany(aiRescoreJobs, {
    ...(where ? { where } : {}),
    orderBy: desc(aiRescoreJobs.id),
    limit: filters.limit + 1,
  });
  const page = rows.slice(0, filters.limit);
  return {
    data: page.map(publicRescoreJob),
    nextCursor: rows.length > filters.limit ? (page[page.length - 1]?.id ?? null) : null,
  };
}

/**
 * Tenants whose scores the hourly Cron keeps current, with the kinds they use: lead scores
 * once any contact or lead has one stored, churn risk while a churn model is active.
 */
export async function findTenantsUsingScores(
  db: Database,
  limit = 5000,
): Promise<{ tenantId: string; kinds: AiModelKind[] }[]> {
  const hasLeadScores = exists(
    db
      .select({ one: aiScores.recordId })
      .from(aiScores)
      .where(
        and(
          eq(aiScores.tenantId, tenants.id),
          inArray(aiScores.recordType, ["contact", "lead"]),
          eq(aiScores.kind, "lead_score"),
        ),
      )
      .limit(1),
  );
  const hasChurnModel = exists(
    db
      .select({ one: aiModels.id })
      .from(aiModels)
      .where(
        and(
          eq(aiModels.tenantId, tenants.id),
          eq(aiModels.kind, "churn"),
          eq(aiModels.objectType, "contact"),
          eq(aiModels.status, "active"),
        ),
      )
      .limit(1),
  );
  const rows = await db
    .select({ id: tenants.id, leadScores: sql<number>`${hasLeadScores}`, churn: sql<number>`${hasChurnModel}` })
    .from(tenants)
    .where(sql`${hasLeadScores} or ${hasChurnModel}`)
    .orderBy(asc(tenants.id))
    .limit(limit);
  return rows.map((r) => ({
    tenantId: r.id,
    kinds: [...(r.leadScores ? (["lead_score"] as const) : []), ...(r.churn ? (["churn"] as const) : [])],
  }));
}

export async function getRescoreJob(ctx: TenantContext, id: string) {
  const row = await ctx.db.findFirst(aiRescoreJobs, eq(aiRescoreJobs.id, id));
  if (!row) throw new ApiError("NOT_FOUND", `Rescoring job ${id} was not found`);
  return publicRescoreJob(row);
}

export function rescoreActor(row: AiRescoreJobRow): Actor {
  return row.startedBy as unknown as Actor;
}

/** D1 binds at most 100 parameters per statement. */
const idGroup = 90;

function groups<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Engagement signals of many contacts at once (rescoring reads a chunk's in a few statements). */
async function signalsOf(ctx: TenantContext, rows: ContactRow[]): Promise<Map<string, LeadSignals>> {
  const ids = rows.map((r) => r.id);
  const [messages, acts] = await Promise.all([
    Promise.all(
      groups(ids, idGroup).map((g) =>
        ctx.db.findMany(outreachMessages, { where: inArray(outreachMessages.contactId, g) }),
      ),
    ),
    Promise.all(
      groups(ids, idGroup).map((g) =>
        ctx.db.findMany(activities, {
          where: and(eq(activities.recordType, "contact"), inArray(activities.recordId, g)),
        }),
      ),
    ),
  ]);
  const signals = new Map<string, LeadSignals & { email: Required<NonNullable<LeadSignals["email"]>> }>();
  const last = new Map<string, number>();
  const seen = (id: string, at: Date | null) => {
    if (at && at.getTime() > (last.get(id) ?? -Infinity)) last.set(id, at.getTime());
  };
  for (const row of rows)
    signals.set(row.id, {
      email: { sent: 0, bounced: 0, opened: 0, clicked: 0, replied: 0 },
      activities: {},
      profile: contactProfile(row),
    });
  for (const m of messages.flat()) {
    const s = m.contactId ? signals.get(m.contactId) : undefined;
    if (!s || !m.contactId) continue;
    if (m.sentAt) s.email.sent += 1;
    if (m.bouncedAt) s.email.bounced += 1;
    if (m.firstOpenedAt) s.email.opened += 1;
    if (m.firstClickedAt) s.email.clicked += 1;
    if (m.repliedAt) s.email.replied += 1;
    for (const at of [m.firstOpenedAt, m.firstClickedAt, m.repliedAt]) seen(m.contactId, at);
  }
  for (const a of acts.flat()) {
    const s = signals.get(a.recordId);
    if (!s?.activities) continue;
    s.activities[a.type] = (s.activities[a.type] ?? 0) + 1;
    seen(a.recordId, a.occurredAt);
  }
  for (const [id, s] of signals) {
    const at = last.get(id);
    s.lastEngagedAt = at === undefined ? null : new Date(at);
  }
  return signals;
}

export interface RescoreChunkResult {
  /** The next chunk's starting point (its record type, after this id), or null when the job has ended. */
  next: { objectType: AiScoredRecordType; afterId: string | null } | null;
  /** Whether this chunk's statements recorded domain events (qualification moves). */
  eventsRecorded: boolean;
}

/**
 * Scores one chunk of records of `objectType` (those after `afterId` in id order) and, in the
 * same D1 batch, marks the chunk done and moves the job's counters. A second delivery of the
 * chunk fails on the chunk marker's key, so its whole batch rolls back and nothing is scored
 * twice. After a type's last chunk the job goes on with the next type the kind covers.
 */
export async function runRescoreChunk(
  ctx: TenantContext,
  jobId: string,
  chunkIndex: number,
  afterId: string | null,
  objectType: AiScoredRecordType = "contact",
): Promise<RescoreChunkResult> {
  const job = await ctx.db.findFirst(aiRescoreJobs, eq(aiRescoreJobs.id, jobId));
  if (!job || job.status === "completed" || job.status === "failed") return { next: null, eventsRecorded: false };
  // A stale job stops at its total (the tick's cap), however many records went stale meanwhile.
  const limit =
    job.mode === "stale" ? Math.max(0, Math.min(rescoreChunkSize, job.total - job.scored)) : rescoreChunkSize;
  const page = await pageToScore(ctx, job, objectType, afterId, limit);
  const rows = page.rows;
  const capReached = job.mode === "stale" && job.scored + rows.length >= job.total;
  let next: RescoreChunkResult["next"];
  if (capReached) next = null;
  else if (rows.length === limit) next = { objectType, afterId: rows[rows.length - 1]!.id };
  else next = await nextTypeToScore(ctx, job, objectType);
  const done = await ctx.db.findFirst(
    aiRescoreChunks,
    and(eq(aiRescoreChunks.jobId, jobId), eq(aiRescoreChunks.chunkIndex, chunkIndex)),
  );
  if (done) {
    if (job.mode === "all") return { next, eventsRecorded: false };
    // A stale job's written chunk is no longer stale, so this read already skipped it: the next
    // chunk goes on from the same point (or the next type once this one has nothing stale left).
    const rest = rows.length > 0 ? { objectType, afterId } : await nextTypeToScore(ctx, job, objectType);
    return { next: rest, eventsRecorded: false };
  }

  const now = new Date();
  const previous = await storedScores(
    ctx,
    rows.map((r) => r.id),
    job.kind,
    objectType,
  );
  const queries: BatchItem<"sqlite">[] = [];
  let events = false;
  const recordingCtx: TenantContext = { ...ctx, onEventsRecorded: () => (events = true) };
  if (page.objectType === "lead") {
    const [setup, signals] = await Promise.all([leadRecordScoringSetup(ctx), leadSignalsOf(ctx, page.rows)]);
    for (const lead of page.rows) {
      const scored = await leadRecordScoreQueries(
        recordingCtx,
        lead,
        signals.get(lead.id) as LeadSignals,
        setup,
        previous.get(lead.id) ?? null,
        now,
      );
      queries.push(...scored.queries);
    }
  } else if (job.kind === "lead_score") {
    const [setup, signals] = await Promise.all([leadScoringSetup(ctx), signalsOf(ctx, page.rows)]);
    for (const contact of page.rows) {
      const scored = leadScoreQueries(
        recordingCtx,
        contact,
        signals.get(contact.id) as LeadSignals,
        setup,
        previous.get(contact.id) ?? null,
        now,
      );
      queries.push(...scored.queries);
    }
  } else {
    const model = await activeModel(ctx, "churn");
    if (!model) throw new ApiError("CONFLICT", "The churn model this job scores with is gone");
    for (const contact of page.rows) {
      const risk = churnRisk(model.modelJson as ScoringModel, contactFeatureRow(contact));
      const before = previous.get(contact.id);
      const values = {
        score: risk.result.score,
        computedScore: risk.result.score,
        probability: Math.round(risk.result.probability * 10_000) / 10_000,
        level: risk.result.level,
        ruleScore: null,
        modelScore: risk.result.score,
        components: {
          rules: [],
          model: {
            modelId: model.id,
            score: risk.result.score,
            probability: Math.round(risk.result.probability * 10_000) / 10_000,
          },
        },
        qualification: null,
        explanation: risk.explanation,
        factors: risk.factors,
        engine: risk.engine.engine,
        model: risk.engine.model,
        version: risk.engine.version,
        modelId: model.id,
        scoredAt: now,
      };
      queries.push(
        ctx.db
          .insertQuery(aiScores, { recordType: "contact", recordId: contact.id, kind: "churn", ...values })
          .onConflictDoUpdate({
            target: [aiScores.tenantId, aiScores.recordType, aiScores.recordId, aiScores.kind],
            set: values,
          }),
      );
      if (!before || before.score !== values.score || before.level !== values.level)
        queries.push(churnHistoryQuery(ctx, contact.id, values, now));
    }
  }
  const finished = next === null;
  queries.unshift(ctx.db.insertQuery(aiRescoreChunks, { jobId, chunkIndex, rows: rows.length }));
  queries.push(
    ctx.db.updateQuery(
      aiRescoreJobs,
      {
        scored: sql`${aiRescoreJobs.scored} + ${rows.length}`,
        chunksDone: sql`${aiRescoreJobs.chunksDone} + 1`,
        status: finished ? "completed" : "running",
        // Records someone else scored before this job reached them are no longer counted as to do.
        ...(finished && job.mode === "stale" ? { total: sql`${aiRescoreJobs.scored} + ${rows.length}` } : {}),
        objectType: next?.objectType ?? objectType,
        ...(finished ? { finishedAt: now } : {}),
      },
      eq(aiRescoreJobs.id, jobId),
    ),
  );
  try {
    await ctx.db.batch(queries as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  } catch (error) {
    // The chunk marker exists: another delivery wrote this chunk first.
    if (isUniqueViolation(error)) return { next, eventsRecorded: false };
    throw error;
  }
  return { next, eventsRecorded: events };
}

function churnHistoryQuery(
  ctx: TenantContext,
  recordId: string,
  values: {
    score: number;
    level: string;
    probability: number;
    modelId: string;
    engine: string;
    model: string;
    version: string;
  },
  now: Date,
) {
  return ctx.db.insertQuery(aiScoreHistoryTable, {
    id: newId("aiScoreChange"),
    recordType: "contact",
    recordId,
    kind: "churn",
    change: "scored",
    score: values.score,
    level: values.level,
    probability: values.probability,
    modelId: values.modelId,
    engine: values.engine,
    model: values.model,
    version: values.version,
    reason: null,
    actorId: ctx.actor.id,
    recordedAt: now,
  });
}

/** A job whose chunk failed for good (the dead-letter queue's end). */
export async function failRescore(ctx: TenantContext, jobId: string, reason: string): Promise<void> {
  await ctx.db.update(
    aiRescoreJobs,
    { status: "failed", failureReason: reason, finishedAt: new Date() },
    eq(aiRescoreJobs.id, jobId),
  );
}
