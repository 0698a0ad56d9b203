import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { deleteTask } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";

const route = createRoute({
  method: "delete",
  path: "/api/v1/tasks/{id}",
  operationId: "deleteTask",
  summary: "Delete a task with its notes and activities",
  tags: ["Tasks"],
  ...access({ scope: "tasks:write" }),
  request: { params: IdParamSchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses(),
  },
});

export function registerDeleteTask(app: App): void {
  app.openapi(route, async (c) => {
    await deleteTask(tenantContext(c), c.req.valid("param").id);
    return c.body(null, 204);
  });
}
