import { type AiModelKind, type AiScoredRecordType, aiScoreHistory, aiScores, newId } from "@crm/db";
import {
  churnRisk,
  type ComponentScore,
  type Factor,
  type LeadScore,
  type LeadScoringConfig,
  type LeadSignals,
  scoreLead,
  type ScoringModel,
  scoreWithModel,
} from "@crm/ai";
import { ApiError } from "@crm/errors";
import type { BatchItem } from "drizzle-orm/batch";
import { and, desc, eq, inArray } from "drizzle-orm";
import { applyContactInput } from "../contacts/input";
import { type ContactRow } from "../contacts/public";
import { contactSaveQueries, findVisibleContact } from "../contacts/write";
import type { TenantContext } from "../context";
import { chunk } from "../records/insert-many";
import { activeModel, type AiModelRow } from "./models";
import { contactFeatureRow, contactSignals } from "./records";
import { getAiScoringSettings, leadScoringConfig } from "./settings";

export type AiScoreRow = typeof aiScores.$inferSelect;

/** What the tenant's lead scores are computed with, read once per request or rescoring chunk. */
export interface LeadScoringSetup {
  config: LeadScoringConfig;
  model: AiModelRow | null;
}

export async function leadScoringSetup(ctx: TenantContext): Promise<LeadScoringSetup> {
  const [settings, model] = await Promise.all([getAiScoringSettings(ctx), activeModel(ctx, "lead_score")]);
  return { config: leadScoringConfig(settings), model };
}

export function publicScore(row: AiScoreRow) {
  return {
    recordType: row.recordType,
    recordId: row.recordId,
    kind: row.kind,
    score: row.score,
    computedScore: row.computedScore,
    probability: row.probability,
    level: row.level,
    ruleScore: row.ruleScore,
    modelScore: row.modelScore,
    qualification: row.qualification,
    components: row.components,
    explanation: row.explanation,
    factors: row.factors as Factor[],
    engine: { engine: row.engine, model: row.model, version: row.version },
    modelId: row.modelId,
    scoredAt: row.scoredAt.toISOString(),
    override:
      row.overrideScore === null
        ? null
        : {
            score: row.overrideScore,
            reason: row.overrideReason,
            by: row.overrideBy,
            at: row.overrideAt?.toISOString() ?? null,
          },
  };
}

export type PublicScore = ReturnType<typeof publicScore>;

const qualificationStatus = { qualified: "Qualified", disqualified: "Disqualified" } as const;

/** What one record (a contact or a lead) offers the lead scorer. */
export interface LeadScoreSubject {
  recordType: AiScoredRecordType;
  id: string;
  /** The record as the tenant's model reads it (contact field names, `cf.<key>`). */
  featureRow: Record<string, unknown>;
  /** Its stage (a contact's lifecycle stage, a lead's stage): thresholds never move it back. */
  stage: string | null;
  /** Fields a model may read on this record; null: all of them (contacts, what models learn from). */
  readableFields: ReadonlySet<string> | null;
}

/**
 * The new lead score of a record (rules, the tenant's model where it can read the record, an
 * override) and the statements that store it: the current row and, when score or level moved
 * (or `entry` says so), a history entry. Moving the record on a threshold is the caller's.
 */
export function leadScoreRow(
  ctx: TenantContext,
  subject: LeadScoreSubject,
  signals: LeadSignals,
  setup: LeadScoringSetup,
  previous: AiScoreRow | null,
  now: Date,
  /** The history entry to write whatever changed (an override); default "scored" when score or level changed. */
  entry?: { change: "override" | "override_cleared"; reason: string },
): { queries: BatchItem<"sqlite">[]; row: AiScoreRow; result: LeadScore } {
  const model = setup.model;
  const fieldsUsed = model ? (model.modelJson as ScoringModel).encoder.fields.map((f) => f.field) : [];
  const readable = subject.readableFields;
  const fieldsMissing = readable ? fieldsUsed.filter((field) => !readable.has(field)) : [];
  // A model none of whose fields the record has would only score its training average.
  const modelApplies = model !== null && (readable === null || fieldsMissing.length < fieldsUsed.length);
  const modelScored = modelApplies ? scoreWithModel(model.modelJson as ScoringModel, subject.featureRow) : null;
  const override =
    previous?.overrideScore !== null && previous?.overrideScore !== undefined
      ? { score: previous.overrideScore, reason: previous.overrideReason ?? "" }
      : null;
  const scored = scoreLead(signals, setup.config, {
    now,
    modelScore: modelScored?.result.score ?? null,
    override,
    currentStage: subject.stage,
  });
  const result = scored.result;
  const computed = override
    ? scoreLead(signals, setup.config, { now, modelScore: modelScored?.result.score ?? null }).result.score
    : result.score;
  const modelNote =
    model && !modelApplies
      ? `The ${subject.recordType}'s fields include none the model reads (${fieldsUsed.join(", ")}), so it took no part.`
      : null;
  const row: AiScoreRow = {
    tenantId: ctx.tenant.id,
    recordType: subject.recordType,
    recordId: subject.id,
    kind: "lead_score",
    score: result.score,
    computedScore: computed,
    probability: modelScored ? round(modelScored.result.probability, 4) : null,
    level: result.level,
    ruleScore: result.ruleScore,
    modelScore: result.modelScore,
    components: {
      rules: result.components satisfies ComponentScore[],
      model: modelScored
        ? {
            modelId: model?.id,
            score: modelScored.result.score,
            probability: round(modelScored.result.probability, 4),
            explanation: modelScored.explanation,
            factors: modelScored.factors,
            engine: modelScored.engine,
            ...(readable ? { fieldsMissing } : {}),
          }
        : null,
    },
    qualification: result.qualification.status,
    explanation:
      [scored.explanation, modelScored?.explanation].filter(Boolean).join(" Model: ") +
      (modelNote ? ` ${modelNote}` : ""),
    factors: scored.factors,
    engine: scored.engine.engine,
    model: scored.engine.model,
    version: scored.engine.version,
    modelId: modelScored ? (model?.id ?? null) : null,
    scoredAt: now,
    overrideScore: previous?.overrideScore ?? null,
    overrideReason: previous?.overrideReason ?? null,
    overrideBy: previous?.overrideBy ?? null,
    overrideAt: previous?.overrideAt ?? null,
  };
  const queries: BatchItem<"sqlite">[] = [upsertScoreQuery(ctx, row)];
  if (entry) queries.push(historyQuery(ctx, row, entry.change, entry.reason));
  else if (!previous || previous.score !== row.score || previous.level !== row.level)
    queries.push(historyQuery(ctx, row, "scored", null));
  return { queries, row, result };
}

export function contactScoreSubject(contact: ContactRow): LeadScoreSubject {
  return {
    recordType: "contact",
    id: contact.id,
    featureRow: contactFeatureRow(contact),
    stage: contact.lifecycleStage,
    readableFields: null,
  };
}

/**
 * The statements that store a contact's new lead score (the current row and a history entry)
 * and, when the score crosses a threshold, move the contact: to MQL at `moveToMql`, and its lead
 * status to Qualified or Disqualified when the decision changed since the last score. The move
 * is an ordinary contact update (lifecycle history, audit entry, `contact.updated` event) in
 * the same batch, so workflows fire on it.
 */
export function leadScoreQueries(
  ctx: TenantContext,
  contact: ContactRow,
  signals: Parameters<typeof scoreLead>[0],
  setup: LeadScoringSetup,
  previous: AiScoreRow | null,
  now: Date,
  entry?: { change: "override" | "override_cleared"; reason: string },
): { queries: BatchItem<"sqlite">[]; row: AiScoreRow } {
  const { queries, row, result } = leadScoreRow(
    ctx,
    contactScoreSubject(contact),
    signals,
    setup,
    previous,
    now,
    entry,
  );
  const status = result.qualification.status;
  const changes: { lifecycleStage?: "mql"; leadStatus?: string } = {};
  if (result.qualification.moveToStage === "mql" && contact.lifecycleStage !== "mql") changes.lifecycleStage = "mql";
  if (status !== "undecided" && previous?.qualification !== status) changes.leadStatus = qualificationStatus[status];
  if (changes.leadStatus === contact.leadStatus) delete changes.leadStatus;
  if (changes.lifecycleStage || changes.leadStatus) {
    const { row: moved, lifecycleChange } = applyContactInput(contact, changes, now, "body");
    queries.push(
      ...contactSaveQueries(ctx, contact, moved, { lifecycle: lifecycleChange, companyName: null, reindex: false }),
    );
  }
  return { queries, row };
}

export function upsertScoreQuery(ctx: TenantContext, row: AiScoreRow) {
  const { tenantId: _tenantId, ...values } = row;
  const { recordType: _r, recordId: _i, kind: _k, ...columns } = values;
  return ctx.db.insertQuery(aiScores, values).onConflictDoUpdate({
    target: [aiScores.tenantId, aiScores.recordType, aiScores.recordId, aiScores.kind],
    set: columns,
  });
}

export function historyQuery(
  ctx: TenantContext,
  row: AiScoreRow,
  change: "scored" | "override" | "override_cleared",
  reason: string | null,
) {
  return ctx.db.insertQuery(aiScoreHistory, {
    id: newId("aiScoreChange"),
    recordType: row.recordType,
    recordId: row.recordId,
    kind: row.kind,
    change,
    score: row.score,
    level: row.level,
    probability: row.probability,
    modelId: row.modelId,
    engine: row.engine,
    model: row.model,
    version: row.version,
    reason,
    actorId: ctx.actor.id,
    recordedAt: row.scoredAt,
  });
}

function scoreKey(recordId: string, kind: AiModelKind, recordType: AiScoredRecordType) {
  return and(eq(aiScores.recordType, recordType), eq(aiScores.recordId, recordId), eq(aiScores.kind, kind));
}

export async function storedScore(
  ctx: TenantContext,
  recordId: string,
  kind: AiModelKind,
  recordType: AiScoredRecordType = "contact",
): Promise<AiScoreRow | null> {
  return (await ctx.db.findFirst(aiScores, scoreKey(recordId, kind, recordType))) ?? null;
}

/** A record's recent score changes, newest first. */
export async function scoreHistory(
  ctx: TenantContext,
  recordType: AiScoredRecordType,
  recordId: string,
  kind: AiModelKind,
) {
  const history = await ctx.db.findMany(aiScoreHistory, {
    where: and(
      eq(aiScoreHistory.recordType, recordType),
      eq(aiScoreHistory.recordId, recordId),
      eq(aiScoreHistory.kind, kind),
    ),
    orderBy: [desc(aiScoreHistory.recordedAt), desc(aiScoreHistory.id)],
    limit: 50,
  });
  return history.map((h) => ({
    change: h.change,
    score: h.score,
    level: h.level,
    reason: h.reason,
    actorId: h.actorId,
    engine: { engine: h.engine, model: h.model, version: h.version },
    recordedAt: h.recordedAt.toISOString(),
  }));
}

/** Scores one contact now (rules, the tenant's model when it has one, thresholds) and stores it. */
export async function scoreContact(ctx: TenantContext, contactId: string): Promise<PublicScore> {
  const contact = await findVisibleContact(ctx, contactId);
  const [setup, previous, signals] = await Promise.all([
    leadScoringSetup(ctx),
    storedScore(ctx, contactId, "lead_score"),
    contactSignals(ctx, contact),
  ]);
  const { queries, row } = leadScoreQueries(ctx, contact, signals, setup, previous, new Date());
  await ctx.db.batch(queries as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return publicScore(row);
}

/**
 * The contact's lead score with its breakdown and recent history. A contact never scored gets its
 * score computed for this answer but not stored: a read changes nothing (no lifecycle move, no
 * history); the hourly stale rescoring or a POST stores it.
 */
export async function getContactScore(ctx: TenantContext, contactId: string) {
  const contact = await findVisibleContact(ctx, contactId);
  const stored = await storedScore(ctx, contactId, "lead_score");
  if (stored) return { ...publicScore(stored), history: await scoreHistory(ctx, "contact", contactId, "lead_score") };
  const [setup, signals] = await Promise.all([leadScoringSetup(ctx), contactSignals(ctx, contact)]);
  const { row } = leadScoreQueries(ctx, contact, signals, setup, null, new Date());
  return { ...publicScore(row), history: [] };
}

/**
 * A person sets (or, with `score: null`, clears) the contact's score with a reason. The
 * override wins over the computed score until cleared; thresholds apply to it as to any score.
 */
export async function overrideContactScore(
  ctx: TenantContext,
  contactId: string,
  input: { score: number | null; reason: string },
): Promise<PublicScore> {
  const contact = await findVisibleContact(ctx, contactId);
  const [setup, previous, signals] = await Promise.all([
    leadScoringSetup(ctx),
    storedScore(ctx, contactId, "lead_score"),
    contactSignals(ctx, contact),
  ]);
  const now = new Date();
  const withOverride: AiScoreRow | null =
    input.score === null
      ? previous && { ...previous, overrideScore: null, overrideReason: null, overrideBy: null, overrideAt: null }
      : ({
          ...(previous ?? emptyScore(ctx, contactId, now)),
          overrideScore: input.score,
          overrideReason: input.reason.trim(),
          overrideBy: ctx.actor.id,
          overrideAt: now,
        } satisfies AiScoreRow);
  if (input.score === null && (!previous || previous.overrideScore === null))
    throw new ApiError("CONFLICT", `Contact ${contactId} has no score override to clear`);
  // The batch also stores the new score itself and whichever lifecycle move it implies.
  const { queries, row } = leadScoreQueries(ctx, contact, signals, setup, withOverride, now, {
    change: input.score === null ? "override_cleared" : "override",
    reason: input.reason.trim(),
  });
  await ctx.db.batch(queries as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return publicScore(row);
}

export function emptyScore(
  ctx: TenantContext,
  recordId: string,
  now: Date,
  recordType: AiScoredRecordType = "contact",
): AiScoreRow {
  return {
    tenantId: ctx.tenant.id,
    recordType,
    recordId,
    kind: "lead_score",
    score: 0,
    computedScore: 0,
    probability: null,
    level: "inactive",
    ruleScore: null,
    modelScore: null,
    components: { rules: [], model: null },
    qualification: null,
    explanation: "",
    factors: [],
    engine: "builtin",
    model: "lead-rules",
    version: "1",
    modelId: null,
    scoredAt: now,
    overrideScore: null,
    overrideReason: null,
    overrideBy: null,
    overrideAt: null,
  };
}

/**
 * The contact's churn risk from the tenant's churn model (low/medium/high/critical with the
 * fields behind it), stored with its history and computed again once the contact or the model
 * changed. 409 until the tenant has trained a churn model.
 */
export async function contactChurnRisk(ctx: TenantContext, contactId: string): Promise<PublicScore> {
  const contact = await findVisibleContact(ctx, contactId);
  const model = await activeModel(ctx, "churn");
  if (!model)
    throw new ApiError("CONFLICT", "This organization has no churn model yet: train one with POST /api/v1/ai/models");
  const previous = await storedScore(ctx, contactId, "churn");
  // Nothing it depends on changed since it was stored: the stored risk stands.
  if (previous && previous.modelId === model.id && previous.scoredAt >= contact.updatedAt) return publicScore(previous);
  const risk = churnRisk(model.modelJson as ScoringModel, contactFeatureRow(contact));
  const now = new Date();
  const row: AiScoreRow = {
    ...emptyScore(ctx, contactId, now),
    kind: "churn",
    score: risk.result.score,
    computedScore: risk.result.score,
    probability: round(risk.result.probability, 4),
    level: risk.result.level,
    modelScore: risk.result.score,
    components: {
      rules: [],
      model: { modelId: model.id, score: risk.result.score, probability: round(risk.result.probability, 4) },
    },
    explanation: risk.explanation,
    factors: risk.factors,
    engine: risk.engine.engine,
    model: risk.engine.model,
    version: risk.engine.version,
    modelId: model.id,
  };
  const queries: BatchItem<"sqlite">[] = [upsertScoreQuery(ctx, row)];
  if (!previous || previous.score !== row.score || previous.level !== row.level)
    queries.push(historyQuery(ctx, row, "scored", null));
  await ctx.db.batch(queries as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return publicScore(row);
}

/** Stored scores of these records (bulk rescoring reads a chunk's at once). */
/** Ids per statement: D1 binds at most 100 parameters, and the statement has 3 besides the ids. */
const storedScoreIdGroup = 90;

export async function storedScores(
  ctx: TenantContext,
  ids: string[],
  kind: AiModelKind,
  recordType: AiScoredRecordType = "contact",
) {
  if (ids.length === 0) return new Map<string, AiScoreRow>();
  const rows = await Promise.all(
    chunk(ids, storedScoreIdGroup).map((group) =>
      ctx.db.findMany(aiScores, {
        where: and(eq(aiScores.recordType, recordType), eq(aiScores.kind, kind), inArray(aiScores.recordId, group)),
      }),
    ),
  );
  return new Map(rows.flat().map((r) => [r.recordId, r]));
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
