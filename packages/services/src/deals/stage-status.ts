import type { deals, pipelineStages } from "@crm/db";

type DealStatus = (typeof deals.$inferSelect)["status"];
type Stage = Pick<typeof pipelineStages.$inferSelect, "isWon" | "isLost">;

/**
 * What a deal's status becomes when it enters a stage: a won or lost stage closes it;
 * leaving a terminal stage for an open one reopens it; otherwise (active or paused) it stays.
 */
export function statusOnEntering(stage: Stage, current: DealStatus): DealStatus {
  if (stage.isWon) return "won";
  if (stage.isLost) return "lost";
  return current === "won" || current === "lost" ? "active" : current;
}

export const isClosed = (status: DealStatus) => status === "won" || status === "lost";
