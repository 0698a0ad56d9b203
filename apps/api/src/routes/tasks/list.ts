import { createRoute, type z } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { listTasks, type TenantContext } from "@crm/services";
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

/** A page of the list for this query: the list route's and the export's. */
export function taskPage(ctx: TenantContext, query: z.infer<typeof TaskListQuerySchema>, url: string) {
  const { limit, cursor, sort, status, priority, dueFrom, dueTo, ...filters } = query;
  return listTasks(
    ctx,
    {
      ...recordListFilters(filters, url),
      status: asList(status),
      priority: asList(priority),
      dueFrom: dueFrom ? new Date(dueFrom) : undefined,
      dueTo: dueTo ? new Date(dueTo) : undefined,
    },
    { limit, cursor, sort },
  );
}

export function registerListTasks(app: App): void {
  app.openapi(route, async (c) => c.json(await taskPage(tenantContext(c), c.req.valid("query"), c.req.url), 200));
}
