import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { updateTask } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { TaskSchema, taskDates, UpdateTaskBodySchema } from "./schema";

const route = createRoute({
  method: "patch",
  path: "/api/v1/tasks/{id}",
  operationId: "updateTask",
  summary: "Change a task: only the fields sent change",
  description: "Setting status to done stamps completedAt; any other status clears it. Null clears a field.",
  tags: ["Tasks"],
  ...access({ scope: "tasks:write" }),
  request: {
    params: IdParamSchema,
    body: { required: true, content: { "application/json": { schema: UpdateTaskBodySchema } } },
  },
  responses: {
    200: { description: "The task as changed", content: { "application/json": { schema: TaskSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerUpdateTask(app: App): void {
  app.openapi(route, async (c) =>
    c.json(await updateTask(tenantContext(c), c.req.valid("param").id, taskDates(c.req.valid("json"))), 200),
  );
}
