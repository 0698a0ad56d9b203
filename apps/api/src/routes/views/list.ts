import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { listViews } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { ViewListQuerySchema, ViewPageSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/views",
  operationId: "listViews",
  summary: "The caller's saved views, oldest first (nobody else's)",
  tags: ["Saved views"],
  ...access({ scope: "views:read", keys: false }),
  request: { query: ViewListQuerySchema },
  responses: {
    200: { description: "A page of views", content: { "application/json": { schema: ViewPageSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerListViews(app: App): void {
  app.openapi(route, async (c) => {
    const { limit, cursor, objectType } = c.req.valid("query");
    return c.json(await listViews(tenantContext(c), { objectType }, { limit, cursor }), 200);
  });
}
