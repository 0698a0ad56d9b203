import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { listActivities } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { ActivityListQuerySchema, ActivityPageSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/activities",
  operationId: "listActivities",
  summary: "A record's calls, meetings, emails and notes logged as activities, latest first",
  description:
    "A record that is unknown, another organization's, or hidden from the caller by record visibility has no activities to show: an empty page.",
  tags: ["Activities"],
  ...access({ scope: "activities:read" }),
  request: { query: ActivityListQuerySchema },
  responses: {
    200: { description: "A page of activities", content: { "application/json": { schema: ActivityPageSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerListActivities(app: App): void {
  app.openapi(route, async (c) => {
    const { limit, cursor, ...filters } = c.req.valid("query");
    return c.json(await listActivities(tenantContext(c), filters, { limit, cursor }), 200);
  });
}
