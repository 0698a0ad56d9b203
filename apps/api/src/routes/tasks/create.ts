import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { createTask } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { CreateTaskBodySchema, TaskSchema, taskDates } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/tasks",
  operationId: "createTask",
  summary: "Create a task, optionally about a record and assigned to a member",
  description:
    "The assignee and owner must be members of the organization (422 at `body.assigneeId` / `body.ownerId`); the " +
    "linked record must exist here (422 at `body.recordId`). Custom fields are checked against the task fields.",
  tags: ["Tasks"],
  ...access({ scope: "tasks:write" }),
  request: { body: { required: true, content: { "application/json": { schema: CreateTaskBodySchema } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: TaskSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerCreateTask(app: App): void {
  app.openapi(route, async (c) => c.json(await createTask(tenantContext(c), taskDates(c.req.valid("json"))), 201));
}
