import type { App } from "../../app";
import { registerCreateActivity } from "./create";
import { registerDeleteActivity } from "./delete";
import { registerGetActivity } from "./get";
import { registerListActivities } from "./list";
import { registerUpdateActivity } from "./update";

export function registerActivityRoutes(app: App): void {
  registerListActivities(app);
  registerCreateActivity(app);
  registerGetActivity(app);
  registerUpdateActivity(app);
  registerDeleteActivity(app);
}
