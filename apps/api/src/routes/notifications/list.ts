import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { listNotifications } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { NotificationListQuerySchema, NotificationPageSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/notifications",
  operationId: "listNotifications",
  summary: "The signed-in member's own notifications, newest first, with the unread count",
  tags: ["Notifications"],
  ...access({ keys: false }),
  request: { query: NotificationListQuerySchema },
  responses: {
    200: {
      description: "A page of notifications",
      content: { "application/json": { schema: NotificationPageSchema } },
    },
    ...openApiErrorResponses(),
  },
});

export function registerListNotifications(app: App): void {
  app.openapi(route, async (c) => c.json(await listNotifications(tenantContext(c), c.req.valid("query")), 200));
}
