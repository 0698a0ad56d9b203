import { deals, newId, pipelineStages, pipelines } from "@crm/db";
import { ApiError } from "@crm/errors";
import { eq, inArray, max, sql, type SQL } from "drizzle-orm";
import { auditQuery } from "../audit";
import { isGuardFailure, isUniqueViolation } from "../batch-guard";
import type { TenantContext } from "../context";
import { afterCursor, orderFor, pageFromRows, parseSort } from "../lists/cursor";
import { insertManyQueries } from "../records/insert-many";
import { type StageTemplate, stageRows } from "./defaults";
import { type PipelineRow, publicPipeline, type StageRow } from "./serialize";
import { assertStageTemplates } from "./rules";

const boardOrder = parseSort(undefined, { position: { column: pipelines.position, kind: "number" } }, "position");

const nameTaken = (name: string) =>
  new ApiError("CONFLICT", `A pipeline named "${name}" already exists`, {
    errors: [{ path: "body.name", message: "Already used by another pipeline" }],
  });

/** The pipeline row and its stages; another tenant's pipeline is a 404. */
export async function loadPipeline(
  ctx: TenantContext,
  id: string,
): Promise<{ pipeline: PipelineRow; stages: StageRow[] }> {
  const [pipelineRows, stages] = await ctx.db.batch([
    ctx.db.selectQuery(pipelines, { where: eq(pipelines.id, id), limit: 1 }),
    ctx.db.selectQuery(pipelineStages, {
      where: eq(pipelineStages.pipelineId, id),
      orderBy: [pipelineStages.position, pipelineStages.id],
    }),
  ]);
  const pipeline = (pipelineRows as PipelineRow[])[0];
  if (!pipeline) throw new ApiError("NOT_FOUND", `Pipeline ${id} was not found`);
  return { pipeline, stages: stages as StageRow[] };
}

/** Pipelines in board order, each with its stages. */
export async function listPipelines(ctx: TenantContext, page: { limit: number; cursor?: string | undefined }) {
  const rows = await ctx.db.findMany(pipelines, {
    where: afterCursor(boardOrder, pipelines.id, page.cursor),
    orderBy: orderFor(boardOrder, pipelines.id),
    limit: page.limit + 1,
  });
  const { rows: kept, nextCursor } = pageFromRows(rows, page.limit, boardOrder, (r) => r.position);
  const stages =
    kept.length === 0
      ? []
      : await ctx.db.findMany(pipelineStages, {
          where: inArray(
            pipelineStages.pipelineId,
            kept.map((p) => p.id),
          ),
        });
  const data = kept.map((p) =>
    publicPipeline(
      p,
      stages.filter((s) => s.pipelineId === p.id),
    ),
  );
  return { data, nextCursor };
}

export async function getPipeline(ctx: TenantContext, id: string) {
  const { pipeline, stages } = await loadPipeline(ctx, id);
  return publicPipeline(pipeline, stages);
}

export interface CreatePipelineInput {
  name: string;
  stages: StageTemplate[];
}

/** A pipeline and its stages in one batch; it goes after the tenant's existing pipelines. */
export async function createPipeline(ctx: TenantContext, input: CreatePipelineInput) {
  assertStageTemplates(input.stages);
  const name = input.name.trim();
  if (await ctx.db.findFirst(pipelines, eq(pipelines.name, name))) throw nameTaken(name);
  const [last] = await ctx.db.aggregateQuery(pipelines, { position: max(pipelines.position) });
  const now = new Date();
  const pipeline: PipelineRow = {
    id: newId("pipeline"),
    tenantId: ctx.tenant.id,
    name,
    position: (last?.position ?? -1) + 1,
    createdAt: now,
    updatedAt: now,
  };
  const stages: StageRow[] = stageRows(pipeline.id, input.stages).map((s) => ({
    ...s,
    tenantId: ctx.tenant.id,
    createdAt: now,
    updatedAt: now,
  }));
  const created = publicPipeline(pipeline, stages);
  try {
    await ctx.db.batch([
      ctx.db.insertQuery(pipelines, pipeline),
      ...insertManyQueries(ctx.db, pipelineStages, stages),
      auditQuery(ctx, { action: "create", entity: "pipeline", entityId: pipeline.id, after: created }),
    ]);
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(name);
    throw error;
  }
  return created;
}

export async function updatePipeline(
  ctx: TenantContext,
  id: string,
  patch: { name?: string | undefined; position?: number | undefined },
) {
  const { pipeline, stages } = await loadPipeline(ctx, id);
  const name = patch.name?.trim() ?? pipeline.name;
  if (name !== pipeline.name && (await ctx.db.findFirst(pipelines, eq(pipelines.name, name)))) throw nameTaken(name);
  const updated: PipelineRow = {
    ...pipeline,
    name,
    position: patch.position ?? pipeline.position,
    updatedAt: new Date(),
  };
  try {
    await ctx.db.batch([
      ctx.db.updateQuery(
        pipelines,
        { name: updated.name, position: updated.position, updatedAt: updated.updatedAt },
        eq(pipelines.id, id),
      ),
      auditQuery(ctx, {
        action: "update",
        entity: "pipeline",
        entityId: id,
        before: publicPipeline(pipeline, stages),
        after: publicPipeline(updated, stages),
      }),
    ]);
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(name);
    throw error;
  }
  return publicPipeline(updated, stages);
}

const hasDeals = (ctx: TenantContext, where: SQL) =>
  sql`exists (select 1 from ${deals} where ${ctx.db.scope(deals, where)})`;

/** Deletes a pipeline and its stages; one that still holds deals is a 409. */
export async function deletePipeline(ctx: TenantContext, id: string) {
  const { pipeline, stages } = await loadPipeline(ctx, id);
  const dealCount = await ctx.db.count(deals, eq(deals.pipelineId, id));
  const inUse = () => new ApiError("CONFLICT", `Pipeline ${id} still has deals; move or delete them first`);
  if (dealCount > 0) throw inUse();
  try {
    await ctx.db.batch([
      // Inside the batch: a deal created since the count aborts the delete.
      ctx.db.updateQuery(
        pipelines,
        { name: sql`case when ${hasDeals(ctx, eq(deals.pipelineId, id))} then null else ${pipelines.name} end` },
        eq(pipelines.id, id),
      ),
      ctx.db.deleteQuery(pipelineStages, eq(pipelineStages.pipelineId, id)),
      ctx.db.deleteQuery(pipelines, eq(pipelines.id, id)),
      auditQuery(ctx, { action: "delete", entity: "pipeline", entityId: id, before: publicPipeline(pipeline, stages) }),
    ]);
  } catch (error) {
    if (isGuardFailure(error, pipelines.name)) throw inUse();
    throw error;
  }
}
