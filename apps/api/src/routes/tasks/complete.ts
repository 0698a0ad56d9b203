import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { completeTask } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { TaskSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/tasks/{id}/complete",
  operationId: "completeTask",
  summary: "Mark a task done (stamps completedAt); completing a done task changes nothing",
  tags: ["Tasks"],
  ...access({ scope: "tasks:write" }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "The completed task", content: { "application/json": { schema: TaskSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerCompleteTask(app: App): void {
  app.openapi(route, async (c) => c.json(await completeTask(tenantContext(c), c.req.valid("param").id), 200));
}
