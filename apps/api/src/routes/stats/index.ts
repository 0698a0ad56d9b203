import type { App } from "../../app";
import { registerLeadStats } from "./leads";
import { registerPipelineStats } from "./pipeline";

export function registerStatsRoutes(app: App): void {
  registerPipelineStats(app);
  registerLeadStats(app);
}
