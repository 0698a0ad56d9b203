import type { pipelineStages, pipelines } from "@crm/db";

export type PipelineRow = typeof pipelines.$inferSelect;
export type StageRow = typeof pipelineStages.$inferSelect;

export function publicStage(row: StageRow) {
  return {
    id: row.id,
    pipelineId: row.pipelineId,
    name: row.name,
    position: row.position,
    probability: row.probability,
    isWon: row.isWon,
    isLost: row.isLost,
    followUpDays: row.followUpDays ?? null,
    autoActions: row.autoActions,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type PublicStage = ReturnType<typeof publicStage>;

/** A pipeline with its stages in board order. */
export function publicPipeline(row: PipelineRow, stages: StageRow[]) {
  return {
    id: row.id,
    name: row.name,
    position: row.position,
    stages: [...stages].sort(byPosition).map(publicStage),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type PublicPipeline = ReturnType<typeof publicPipeline>;

export function byPosition(a: { position: number; id: string }, b: { position: number; id: string }): number {
  return a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
