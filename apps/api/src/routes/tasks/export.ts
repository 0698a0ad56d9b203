import type { App } from "../../app";
import { registerCsvExport } from "../../lib/csv-export";
import { taskPage } from "./list";
import { TaskListQuerySchema, TaskSchema } from "./schema";

export function registerExportTasks(app: App): void {
  registerCsvExport(app, {
    objectType: "task",
    plural: "tasks",
    tag: "Tasks",
    scope: "tasks:read",
    querySchema: TaskListQuerySchema,
    recordSchema: TaskSchema,
    page: taskPage,
  });
}
