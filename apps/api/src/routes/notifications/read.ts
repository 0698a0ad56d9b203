import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { markAllNotificationsRead, markNotificationRead } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { NotificationSchema, ReadAllResultSchema } from "./schema";

const readRoute = createRoute({
  method: "post",
  path: "/api/v1/notifications/{id}/read",
  operationId: "markNotificationRead",
  summary: "Mark one of one's notifications read",
  tags: ["Notifications"],
  ...access({ keys: false }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "The notification", content: { "application/json": { schema: NotificationSchema } } },
    ...openApiErrorResponses(),
  },
});

const readAllRoute = createRoute({
  method: "post",
  path: "/api/v1/notifications/read-all",
  operationId: "markAllNotificationsRead",
  summary: "Mark all of one's notifications read",
  tags: ["Notifications"],
  ...access({ keys: false }),
  responses: {
    200: { description: "How many changed", content: { "application/json": { schema: ReadAllResultSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerNotificationReadRoutes(app: App): void {
  app.openapi(readAllRoute, async (c) => c.json(await markAllNotificationsRead(tenantContext(c)), 200));
  app.openapi(readRoute, async (c) =>
    c.json(await markNotificationRead(tenantContext(c), c.req.valid("param").id), 200),
  );
}
