import type { App } from "../../app";
import { registerGetRecommendation } from "./get";
import { registerListRecommendations } from "./list";
import { registerRefreshRecommendations } from "./refresh";
import { registerUpdateRecommendation } from "./update";

export function registerRecommendationRoutes(app: App): void {
  registerListRecommendations(app);
  registerRefreshRecommendations(app);
  registerGetRecommendation(app);
  registerUpdateRecommendation(app);
}
