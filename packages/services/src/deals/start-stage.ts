import { pipelines, pipelineStages } from "@crm/db";
import { ApiError } from "@crm/errors";
import { asc, eq } from "drizzle-orm";
import type { TenantContext } from "../context";
import type { StageRow } from "../pipelines/serialize";

const invalid = (path: string, message: string) =>
  new ApiError("VALIDATION_FAILED", "The deal has invalid fields", { errors: [{ path, message }] });

/**
 * Where a new deal starts: the stage given (which must belong to the pipeline, when one is
 * given too), else the first stage of the pipeline given, else of the tenant's first pipeline.
 */
export async function resolveStartStage(
  ctx: TenantContext,
  where: { pipelineId?: string | undefined; stageId?: string | undefined },
  prefix: string,
): Promise<StageRow> {
  if (where.stageId) {
    const stage = await ctx.db.findFirst(pipelineStages, eq(pipelineStages.id, where.stageId));
    if (!stage || (where.pipelineId && stage.pipelineId !== where.pipelineId)) {
      if (where.pipelineId && !(await ctx.db.findFirst(pipelines, eq(pipelines.id, where.pipelineId)))) {
        throw invalid(`${prefix}.pipelineId`, "No pipeline in this organization has this id");
      }
      throw invalid(
        `${prefix}.stageId`,
        where.pipelineId ? "Not a stage of this pipeline" : "No stage in this organization has this id",
      );
    }
    return stage;
  }
  let pipelineId = where.pipelineId;
  if (!pipelineId) {
    const [firstByPosition] = await ctx.db.findMany(pipelines, {
      orderBy: [asc(pipelines.position), asc(pipelines.id)],
      limit: 1,
    });
    if (!firstByPosition)
      throw invalid(`${prefix}.pipelineId`, "This organization has no pipeline yet; create one first");
    pipelineId = firstByPosition.id;
  }
  const [stage] = await ctx.db.findMany(pipelineStages, {
    where: eq(pipelineStages.pipelineId, pipelineId),
    orderBy: [asc(pipelineStages.position), asc(pipelineStages.id)],
    limit: 1,
  });
  if (!stage) {
    const exists = await ctx.db.findFirst(pipelines, eq(pipelines.id, pipelineId));
    throw invalid(
      `${prefix}.pipelineId`,
      exists ? "This pipeline has no stages" : "No pipeline in this organization has this id",
    );
  }
  return stage;
}
