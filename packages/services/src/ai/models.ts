import { type AiLabelDefinition, type AiModelKind, aiModels, type AiObjectType, type Database, newId } from "@crm/db";
import { type FieldKind, modelEngine, type ScoringModel, trainScoringModel } from "@crm/ai";
import { ApiError } from "@crm/errors";
import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import type { TenantContext } from "../context";
import { auditQuery } from "../audit";
import { contactFeatureRow, contactFieldKinds, contactPage, contactPageSize, dealOutcomes } from "./records";

export type AiModelRow = typeof aiModels.$inferSelect;

export interface TrainModelInput {
  kind: AiModelKind;
  objectType?: AiObjectType;
  label: AiLabelDefinition;
  /** Fields to learn from; default every standard and custom field. */
  fields?: string[];
  /** Fields never learnt from (say, ones filled in only after the outcome). */
  exclude?: string[];
  /** Answers that mean "not answered", like "Select". */
  missingTokens?: string[];
}

/**
 * Training reads at most this many records, synchronously in the request: 10,000 rows train
 * in about 8 s with the built-in engine, inside a Worker request's CPU limit.
 */
export const maxTrainingRows = 20_000;

/** The name the label gets in training rows (never a real field's name). */
const labelColumn = "__outcome";

export function publicModel(row: AiModelRow) {
  const model = row.modelJson as ScoringModel;
  return {
    id: row.id,
    kind: row.kind,
    objectType: row.objectType,
    label: row.label,
    fields: row.fields,
    fieldsUsed: model.encoder.fields.map((f) => f.field),
    engine: { engine: row.engine, model: row.model, version: row.version },
    algorithm: model.algorithm,
    metrics: {
      holdoutAuc: row.holdoutAuc,
      holdout: row.holdout,
      rowsRead: row.rowsRead,
      labelledRows: row.labelledRows,
      positiveRows: row.positiveRows,
      trainedRows: model.trainedRows,
    },
    stats: row.stats,
    status: row.status,
    trigger: row.trigger,
    trainedAt: row.trainedAt.toISOString(),
    trainedBy: row.trainedBy,
  };
}

export type PublicAiModel = ReturnType<typeof publicModel>;

function invalid(path: string, message: string): ApiError {
  return new ApiError("VALIDATION_FAILED", message, { errors: [{ path, message }] });
}

function checkFields(names: readonly string[], known: Record<string, FieldKind>, path: string): void {
  names.forEach((name, i) => {
    if (!(name in known))
      throw invalid(`${path}.${i}`, `Unknown field ${name}: use a contact field or cf.<custom field key>`);
  });
}

/**
 * Trains the tenant's model of `kind` from its own contacts (standard and custom fields),
 * labelled by the outcome the caller names; stores it with its holdout figures and retires
 * the previous one of the same kind. Reads go through the tenant's TenantDb only, so another
 * tenant's rows cannot be among them.
 */
export async function trainModel(
  ctx: TenantContext,
  input: TrainModelInput,
  trigger: "api" | "cron" = "api",
): Promise<PublicAiModel> {
  const objectType = input.objectType ?? "contact";
  const kinds = await contactFieldKinds(ctx);
  if (input.label.source === "field") {
    if (!(input.label.field in kinds))
      throw invalid(
        "body.label.field",
        `Unknown field ${input.label.field}: use a contact field or cf.<custom field key>`,
      );
    if (input.label.positiveValues.length === 0)
      throw invalid("body.label.positiveValues", "Name at least one value that means the outcome happened");
  }
  if (input.fields) checkFields(input.fields, kinds, "body.fields");
  if (input.exclude) checkFields(input.exclude, kinds, "body.exclude");
  const labelField = input.label.source === "field" ? input.label.field : null;
  const excluded = new Set([...(input.exclude ?? []), ...(labelField ? [labelField] : [])]);
  const fields = (input.fields ?? Object.keys(kinds)).filter((f) => !excluded.has(f));
  if (fields.length === 0) throw invalid("body.fields", "No field is left to learn from");

  const outcomes = input.label.source === "deals" ? await dealOutcomes(ctx) : null;
  const rows: Record<string, unknown>[] = [];
  let rowsRead = 0;
  let afterId: string | null = null;
  for (;;) {
    const page = await contactPage(ctx, afterId);
    for (const contact of page) {
      rowsRead += 1;
      const features = contactFeatureRow(contact);
      let outcome: unknown;
      if (outcomes) outcome = outcomes.has(contact.id) ? String(outcomes.get(contact.id)) : null;
      else outcome = features[labelField as string] ?? null;
      if (outcome === null || outcome === undefined || outcome === "") continue;
      const row: Record<string, unknown> = { [labelColumn]: outcome };
      for (const field of fields) row[field] = features[field] ?? null;
      rows.push(row);
    }
    if (page.length < contactPageSize || rowsRead >= maxTrainingRows) break;
    afterId = page[page.length - 1]?.id ?? null;
  }

  let trained;
  try {
    trained = trainScoringModel(rows, labelColumn, {
      fields,
      kinds: Object.fromEntries(fields.map((f) => [f, kinds[f] as FieldKind])),
      ...(input.label.source === "field" ? { positiveLabels: input.label.positiveValues } : { positiveLabels: ["1"] }),
      ...(input.missingTokens ? { missingTokens: input.missingTokens } : {}),
    });
  } catch (error) {
    // Too few outcomes of either kind, or nothing that varies: the caller's data, not a fault.
    const message = (error as Error).message.replace(` in "${labelColumn}"`, "");
    throw invalid("body.label", `This organization's contacts cannot train a model: ${message}`);
  }
  const model = { ...trained.model, labelField: describeLabel(input.label) };
  const engine = modelEngine(model);
  const now = new Date();
  const { candidates, chosen, features, refitOnAllRows } = trained.stats;
  const row: AiModelRow = {
    id: newId("aiModel"),
    tenantId: ctx.tenant.id,
    kind: input.kind,
    objectType,
    label: input.label,
    fields,
    engine: engine.engine,
    model: engine.model,
    version: engine.version,
    modelJson: model,
    stats: {
      candidates,
      chosen,
      features,
      refitOnAllRows,
      ...(input.missingTokens ? { missingTokens: input.missingTokens } : {}),
    },
    holdoutAuc: trained.holdout ? round(trained.holdout.auc, 4) : null,
    holdout: trained.holdout ? { ...trained.holdout, auc: round(trained.holdout.auc, 4) } : null,
    rowsRead,
    labelledRows: trained.stats.labelledRows,
    positiveRows: trained.stats.positives,
    trainedAt: now,
    trainedBy: ctx.actor.id,
    trigger,
    status: "active",
    createdAt: now,
  };
  const { tenantId: _tenantId, ...values } = row;
  await ctx.db.batch([
    ctx.db.updateQuery(
      aiModels,
      { status: "retired" },
      and(eq(aiModels.kind, input.kind), eq(aiModels.objectType, objectType), eq(aiModels.status, "active")) as SQL,
    ),
    ctx.db.insertQuery(aiModels, values),
    auditQuery(ctx, {
      action: "create",
      entity: "ai_model",
      entityId: row.id,
      before: null,
      after: { kind: row.kind, label: row.label, holdoutAuc: row.holdoutAuc, labelledRows: row.labelledRows },
    }),
  ]);
  return publicModel(row);
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** "cf.converted" / "won deals": how explanations name the outcome. */
function describeLabel(label: AiLabelDefinition): string {
  return label.source === "deals" ? "a won deal" : `${label.field} = ${label.positiveValues.join("/")}`;
}

export async function listModels(ctx: TenantContext, filters: { kind?: AiModelKind; limit: number; cursor?: string }) {
  const conditions = [
    filters.kind ? eq(aiModels.kind, filters.kind) : undefined,
    filters.cursor ? lt(aiModels.id, filters.cursor) : undefined,
  ].filter((c) => c !== undefined);
  const rows = await ctx.db.findMany(aiModels, {
    ...(conditions.length ? { where: and(...conditions) } : {}),
    orderBy: desc(aiModels.id),
    limit: filters.limit + 1,
  });
  const page = rows.slice(0, filters.limit);
  return {
    data: page.map(publicModel),
    nextCursor: rows.length > filters.limit ? (page[page.length - 1]?.id ?? null) : null,
  };
}

export async function getModel(ctx: TenantContext, id: string): Promise<PublicAiModel> {
  const row = await ctx.db.findFirst(aiModels, eq(aiModels.id, id));
  if (!row) throw new ApiError("NOT_FOUND", `Model ${id} was not found`);
  return publicModel(row);
}

/** The tenant's model in use for `kind`, if one was trained. */
export async function activeModel(
  ctx: TenantContext,
  kind: AiModelKind,
  objectType: AiObjectType = "contact",
): Promise<AiModelRow | null> {
  return (
    (await ctx.db.findFirst(
      aiModels,
      and(eq(aiModels.kind, kind), eq(aiModels.objectType, objectType), eq(aiModels.status, "active")),
    )) ?? null
  );
}

const weekMs = 7 * 86_400_000;

/**
 * Retrains each of the tenant's active models trained more than a week before `now`, with the
 * same outcome and fields (the weekly retraining; the hourly Cron calls it). A model the data
 * can no longer train stays as it was. Returns the new models.
 */
export async function retrainStaleModels(ctx: TenantContext, now: Date): Promise<PublicAiModel[]> {
  const stale = await ctx.db.findMany(aiModels, {
    where: and(eq(aiModels.status, "active"), lt(aiModels.trainedAt, new Date(now.getTime() - weekMs))),
  });
  const retrained: PublicAiModel[] = [];
  for (const model of stale) {
    const missingTokens = (model.stats as { missingTokens?: string[] }).missingTokens;
    try {
      retrained.push(
        await trainModel(
          ctx,
          {
            kind: model.kind,
            objectType: model.objectType,
            label: model.label,
            fields: model.fields,
            ...(missingTokens ? { missingTokens } : {}),
          },
          "cron",
        ),
      );
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    }
  }
  return retrained;
}

/** Tenants with a model in use trained more than a week before `now` (the hourly Cron's check). */
export async function findTenantsWithStaleModels(db: Database, now: Date): Promise<string[]> {
  const rows = await db
    .selectDistinct({ tenantId: aiModels.tenantId })
    .from(aiModels)
    .where(and(eq(aiModels.status, "active"), lt(aiModels.trainedAt, new Date(now.getTime() - weekMs))))
    .limit(1000);
  return rows.map((r) => r.tenantId);
}
