import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { listTasks } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { customFieldFilterDescription, recordListFilters } from "../../lib/list-query";
import { access } from "../../lib/route";
import { TaskListQuerySchema, TaskPageSchema, taskSortDescription } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/tasks",
  operationId: "listTasks",
  summary: 'List, filter and search tasks; overdue and "mine" views',
  description:
    "Filters combine with AND. `q` searches titles and descriptions (and the tasks' notes). " +
    `${taskSortDescription} ${customFieldFilterDescription} Pages are keyset-based. Members whose role sees only ` +
    "their own records get the tasks they own or are assigned.",
  tags: ["Tasks"],
  ...access({ scope: "tasks:read" }),
  request: { query: TaskListQuerySchema },
  responses: {
    200: { description: "A page of tasks", content: { "application/json": { schema: TaskPageSchema } } },
    ...openApiErrorResponses(),
  },
});

const asList = <T>(value: T | T[] | undefined) =>
  value === undefined ? undefined : Array.isArray(value) ? value : [value];

export function registerListTasks(app: App): void {
  app.openapi(route, async (c) => {
    const { limit, cursor, sort, status, priority, dueFrom, dueTo, ...filters } = c.req.valid("query");
    const page = await listTasks(
      tenantContext(c),
      {
        ...recordListFilters(filters, c.req.url),
        status: asList(status),
        priority: asList(priority),
        dueFrom: dueFrom ? new Date(dueFrom) : undefined,
        dueTo: dueTo ? new Date(dueTo) : undefined,
      },
      { limit, cursor, sort },
    );
    return c.json(page, 200);
  });
}
