import type { App } from "../../app";
import { registerPipelineBoard } from "./board";
import { registerCreatePipeline } from "./create";
import { registerDeletePipeline } from "./delete";
import { registerGetPipeline } from "./get";
import { registerListPipelines } from "./list";
import { registerCreateStage } from "./stage-create";
import { registerDeleteStage } from "./stage-delete";
import { registerReorderStages } from "./stage-reorder";
import { registerUpdateStage } from "./stage-update";
import { registerUpdatePipeline } from "./update";

export function registerPipelineRoutes(app: App): void {
  registerListPipelines(app);
  registerCreatePipeline(app);
  registerGetPipeline(app);
  registerUpdatePipeline(app);
  registerDeletePipeline(app);
  registerPipelineBoard(app);
  registerCreateStage(app);
  registerReorderStages(app);
  registerUpdateStage(app);
  registerDeleteStage(app);
}
