import { deals, pipelineStages } from "@crm/db";
import { ApiError, type FieldError } from "@crm/errors";
import type { BatchItem } from "drizzle-orm/batch";
import { and, eq, gt, gte, sql } from "drizzle-orm";
import { auditManyQueries, auditQuery } from "../audit";
import { isGuardFailure } from "../batch-guard";
import type { TenantContext } from "../context";
import { moveDealsQueries } from "../deals/move";
import { type StageTemplate, stageRows } from "./defaults";
import { loadPipeline } from "./pipelines";
import { assertStageFlags, maxStagesPerPipeline } from "./rules";
import { publicPipeline, publicStage, type StageRow } from "./serialize";

function assertNameFree(stages: StageRow[], name: string, exceptId?: string): void {
  if (stages.some((s) => s.id !== exceptId && s.name.toLowerCase() === name.toLowerCase())) {
    throw new ApiError("CONFLICT", `This pipeline already has a stage named "${name}"`, {
      errors: [{ path: "body.name", message: "Already used by another stage of this pipeline" }],
    });
  }
}

function findStage(stages: StageRow[], stageId: string): StageRow {
  const stage = stages.find((s) => s.id === stageId);
  if (!stage) throw new ApiError("NOT_FOUND", `Stage ${stageId} was not found in this pipeline`);
  return stage;
}

/** Adds a stage at `position` (default: last), shifting the later stages down by one. */
export async function addStage(
  ctx: TenantContext,
  pipelineId: string,
  input: StageTemplate & { position?: number | undefined },
) {
  const { stages } = await loadPipeline(ctx, pipelineId);
  if (stages.length >= maxStagesPerPipeline)
    throw new ApiError("CONFLICT", `A pipeline has at most ${maxStagesPerPipeline} stages`);
  const name = input.name.trim();
  assertNameFree(stages, name);
  assertStageFlags(input.isWon ?? false, input.isLost ?? false, "body");
  const position = input.position ?? stages.length;
  if (position > stages.length) {
    throw new ApiError("VALIDATION_FAILED", "The position is past the end of the pipeline", {
      errors: [{ path: "body.position", message: `Must be between 0 and ${stages.length}` }],
    });
  }
  const now = new Date();
  const [template] = stageRows(pipelineId, [{ ...input, name }]);
  const stage: StageRow = { ...template!, position, tenantId: ctx.tenant.id, createdAt: now, updatedAt: now };
  await ctx.db.batch([
    ctx.db.updateQuery(
      pipelineStages,
      { position: sql`${pipelineStages.position} + 1` },
      and(eq(pipelineStages.pipelineId, pipelineId), gte(pipelineStages.position, position))!,
    ),
    ctx.db.insertQuery(pipelineStages, stage),
    auditQuery(ctx, { action: "create", entity: "pipeline_stage", entityId: stage.id, after: publicStage(stage) }),
  ]);
  return publicStage(stage);
}

export interface StagePatch {
  name?: string | undefined;
  probability?: number | undefined;
  isWon?: boolean | undefined;
  isLost?: boolean | undefined;
  followUpDays?: number | null | undefined;
  autoActions?: string[] | undefined;
}

/** Changes a stage's settings; deals already in it keep their status and probability. */
export async function updateStage(ctx: TenantContext, pipelineId: string, stageId: string, patch: StagePatch) {
  const { stages } = await loadPipeline(ctx, pipelineId);
  const stage = findStage(stages, stageId);
  const name = patch.name?.trim() ?? stage.name;
  assertNameFree(stages, name, stageId);
  const updated: StageRow = {
    ...stage,
    name,
    probability: patch.probability ?? stage.probability,
    isWon: patch.isWon ?? stage.isWon,
    isLost: patch.isLost ?? stage.isLost,
    followUpDays: patch.followUpDays === undefined ? stage.followUpDays : patch.followUpDays,
    autoActions: patch.autoActions ?? stage.autoActions,
    updatedAt: new Date(),
  };
  assertStageFlags(updated.isWon, updated.isLost, "body");
  const { id: _id, tenantId: _t, pipelineId: _p, createdAt: _c, position: _pos, ...set } = updated;
  await ctx.db.batch([
    ctx.db.updateQuery(pipelineStages, set, eq(pipelineStages.id, stageId)),
    auditQuery(ctx, {
      action: "update",
      entity: "pipeline_stage",
      entityId: stageId,
      before: publicStage(stage),
      after: publicStage(updated),
    }),
  ]);
  return publicStage(updated);
}

/**
 * Deletes a stage. One holding deals is a 409 unless `moveDealsTo` names another stage of
 * the pipeline: its deals then move there (history rows closed and opened) in the same batch.
 */
export async function deleteStage(ctx: TenantContext, pipelineId: string, stageId: string, moveDealsTo?: string) {
  const { stages } = await loadPipeline(ctx, pipelineId);
  const stage = findStage(stages, stageId);
  if (stages.length === 1)
    throw new ApiError("CONFLICT", "A pipeline needs at least one stage; delete the pipeline instead");
  let target: StageRow | undefined;
  if (moveDealsTo !== undefined) {
    target = stages.find((s) => s.id === moveDealsTo && s.id !== stageId);
    if (!target) {
      throw new ApiError("VALIDATION_FAILED", "moveDealsTo must be another stage of this pipeline", {
        errors: [{ path: "query.moveDealsTo", message: "Not another stage of this pipeline" }],
      });
    }
  }
  const dealsInStage = await ctx.db.findMany(deals, { where: eq(deals.stageId, stageId) });
  const inUse = () =>
    new ApiError("CONFLICT", `Stage ${stageId} still has deals; pass moveDealsTo=<stage id> to move them`, {
      extensions: { dealCount: dealsInStage.length },
    });
  if (dealsInStage.length > 0 && !target) throw inUse();
  const queries: BatchItem<"sqlite">[] = [
    // Inside the batch: a deal that entered the stage since it was read aborts the delete.
    ctx.db.updateQuery(
      pipelineStages,
      {
        name: sql`case when (select count(*) from ${deals} where ${ctx.db.scope(deals, eq(deals.stageId, stageId))}) = ${dealsInStage.length} then ${pipelineStages.name} else null end`,
      },
      eq(pipelineStages.id, stageId),
    ),
    ...(target ? moveDealsQueries(ctx, dealsInStage, target, { now: new Date() }).queries : []),
    ctx.db.deleteQuery(pipelineStages, eq(pipelineStages.id, stageId)),
    ctx.db.updateQuery(
      pipelineStages,
      { position: sql`${pipelineStages.position} - 1` },
      and(eq(pipelineStages.pipelineId, pipelineId), gt(pipelineStages.position, stage.position))!,
    ),
    auditQuery(ctx, { action: "delete", entity: "pipeline_stage", entityId: stageId, before: publicStage(stage) }),
  ];
  try {
    await ctx.db.batch(queries as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  } catch (error) {
    if (isGuardFailure(error, pipelineStages.name)) throw inUse();
    throw error;
  }
  return { movedDeals: dealsInStage.length };
}

/** Puts the stages in the order given; the list must name each of the pipeline's stages once. */
export async function reorderStages(ctx: TenantContext, pipelineId: string, stageIds: string[]) {
  const { pipeline, stages } = await loadPipeline(ctx, pipelineId);
  const known = new Set(stages.map((s) => s.id));
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  stageIds.forEach((id, i) => {
    if (!known.has(id)) errors.push({ path: `body.stageIds.${i}`, message: "Not a stage of this pipeline" });
    else if (seen.has(id)) errors.push({ path: `body.stageIds.${i}`, message: "Listed more than once" });
    seen.add(id);
  });
  const missing = stages.filter((s) => !seen.has(s.id));
  if (missing.length > 0)
    errors.push({ path: "body.stageIds", message: `Missing stages: ${missing.map((s) => s.id).join(", ")}` });
  if (errors.length > 0)
    throw new ApiError("VALIDATION_FAILED", "stageIds must list each stage of the pipeline exactly once", { errors });
  const now = new Date();
  const reordered = stageIds.map((id, position) => ({ ...stages.find((s) => s.id === id)!, position, updatedAt: now }));
  const changed = reordered.filter((s) => stages.find((o) => o.id === s.id)!.position !== s.position);
  if (changed.length === 0) return publicPipeline(pipeline, stages);
  const queries: BatchItem<"sqlite">[] = changed.map((s) =>
    ctx.db.updateQuery(pipelineStages, { position: s.position, updatedAt: now }, eq(pipelineStages.id, s.id)),
  );
  await ctx.db.batch([
    ...(queries as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]),
    ...auditManyQueries(
      ctx,
      changed.map((s) => ({
        action: "update" as const,
        entity: "pipeline_stage",
        entityId: s.id,
        before: { position: stages.find((o) => o.id === s.id)!.position },
        after: { position: s.position },
      })),
    ),
  ]);
  return publicPipeline(pipeline, reordered);
}
