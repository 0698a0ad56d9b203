import type { App } from "../../app";
import { registerBulkTasks } from "./bulk";
import { registerCompleteTask } from "./complete";
import { registerCreateTask } from "./create";
import { registerDeleteTask } from "./delete";
import { registerGetTask } from "./get";
import { registerListTasks } from "./list";
import { registerUpdateTask } from "./update";
import { registerExportTasks } from "./export";

export function registerTaskRoutes(app: App): void {
  registerListTasks(app);
  registerExportTasks(app);
  registerCreateTask(app);
  registerBulkTasks(app);
  registerGetTask(app);
  registerUpdateTask(app);
  registerDeleteTask(app);
  registerCompleteTask(app);
}
