import { createRoute } from "@hono/zod-openapi";
import { createDb } from "@crm/db";
import { openApiErrorResponses } from "@crm/errors";
import { revokeFamily } from "@crm/services";
import type { App } from "../../app";
import { access } from "../../lib/route";

const route = createRoute({
  method: "post",
  path: "/api/v1/auth/logout",
  operationId: "logout",
  summary: "End this session: its refresh tokens and access token stop working",
  tags: ["Auth"],
  ...access({ keys: false }),
  responses: {
    204: { description: "Logged out" },
    ...openApiErrorResponses(),
  },
});

export function registerLogout(app: App): void {
  app.openapi(route, async (c) => {
    const actor = c.get("principal")!.actor;
    if (actor.type === "user") await revokeFamily(createDb(c.env.DB), actor.sessionId);
    return c.body(null, 204);
  });
}
