import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { getTask } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { TaskSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/tasks/{id}",
  operationId: "getTask",
  summary: "One task",
  tags: ["Tasks"],
  ...access({ scope: "tasks:read" }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "The task", content: { "application/json": { schema: TaskSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerGetTask(app: App): void {
  app.openapi(route, async (c) => c.json(await getTask(tenantContext(c), c.req.valid("param").id), 200));
}
