import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { bulkTasks } from "@crm/services";
import type { App } from "../../app";
import { BulkResultSchema } from "../../lib/bulk";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { TaskBulkBodySchema, taskDates } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/tasks/bulk",
  operationId: "bulkTasks",
  summary: "Update, delete, assign, tag or untag up to 1,000 tasks at once",
  description:
    "All or nothing, in one transaction: if any id is unknown (or another organization's), listed twice, or a change " +
    "is invalid, the answer is 422 naming each problem (`body.ids.<index>`, `body.changes.<field>`) and nothing changes. " +
    "`assign` sets the assignee (`assigneeId`) and/or the owner (`ownerId`).",
  tags: ["Tasks"],
  ...access({ scope: "tasks:write" }),
  request: { body: { required: true, content: { "application/json": { schema: TaskBulkBodySchema } } } },
  responses: {
    200: {
      description: "One result per id, in the order given",
      content: { "application/json": { schema: BulkResultSchema } },
    },
    ...openApiErrorResponses(),
  },
});

export function registerBulkTasks(app: App): void {
  app.openapi(route, async (c) => {
    const { changes, ...body } = c.req.valid("json");
    return c.json(await bulkTasks(tenantContext(c), { ...body, changes: changes && taskDates(changes) }), 200);
  });
}
