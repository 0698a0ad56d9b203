import { ApiError, type FieldError } from "@crm/errors";
import type { StageTemplate } from "./defaults";

export const maxStagesPerPipeline = 50;

/** A stage is won or lost or neither, never both. */
export function assertStageFlags(isWon: boolean, isLost: boolean, path: string): void {
  if (isWon && isLost) {
    throw new ApiError("VALIDATION_FAILED", "A stage cannot be both won and lost", {
      errors: [{ path: `${path}.isLost`, message: "Cannot be true together with isWon" }],
    });
  }
}

/** The stages of a new pipeline: at most 50, flags consistent, names distinct. */
export function assertStageTemplates(stages: StageTemplate[]): void {
  if (stages.length > maxStagesPerPipeline) {
    throw new ApiError("VALIDATION_FAILED", `A pipeline has at most ${maxStagesPerPipeline} stages`, {
      errors: [{ path: "body.stages", message: `At most ${maxStagesPerPipeline} stages` }],
    });
  }
  const errors: FieldError[] = [];
  const names = new Set<string>();
  stages.forEach((stage, i) => {
    if (stage.isWon && stage.isLost)
      errors.push({ path: `body.stages.${i}.isLost`, message: "Cannot be true together with isWon" });
    const name = stage.name.trim().toLowerCase();
    if (names.has(name)) errors.push({ path: `body.stages.${i}.name`, message: "Another stage already has this name" });
    names.add(name);
  });
  if (errors.length > 0) throw new ApiError("VALIDATION_FAILED", "Some stages are invalid", { errors });
}
