import type { App } from "../../app";
import { registerCreateSuppression } from "./create";
import { registerDeleteSuppression } from "./delete";
import { registerListSuppressions } from "./list";

export function registerSuppressionRoutes(app: App): void {
  registerListSuppressions(app);
  registerCreateSuppression(app);
  registerDeleteSuppression(app);
}
