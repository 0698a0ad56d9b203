import type { App } from "../../app";
import { registerGetAgentDecision } from "./get-decision";
import { registerListAgentDecisions } from "./list-decisions";
import { registerRunAgent } from "./run";
import { registerStuckDeals } from "./stuck-deals";

/** The pipeline agent: run now, its decision log, the stuck-deal review. */
export function registerAgentRoutes(app: App): void {
  registerRunAgent(app);
  registerListAgentDecisions(app);
  registerStuckDeals(app);
  registerGetAgentDecision(app);
}
