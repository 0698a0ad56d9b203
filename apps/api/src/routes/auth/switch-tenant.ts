import { createRoute } from "@hono/zod-openapi";
import { createDb } from "@crm/db";
import { ApiError, openApiErrorResponses } from "@crm/errors";
import { switchTenant } from "@crm/services";
import type { App } from "../../app";
import { access } from "../../lib/route";
import { SessionSchema, SwitchTenantBodySchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/auth/switch-tenant",
  operationId: "switchTenant",
  summary: "Open a session in another organization you belong to (see `tenants` in /me)",
  tags: ["Auth"],
  ...access({ keys: false }),
  request: { body: { required: true, content: { "application/json": { schema: SwitchTenantBodySchema } } } },
  responses: {
    200: { description: "Tokens for the other tenant", content: { "application/json": { schema: SessionSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerSwitchTenant(app: App): void {
  app.openapi(route, async (c) => {
    const actor = c.get("principal")!.actor;
    if (actor.type !== "user") throw new ApiError("FORBIDDEN", "Only people have sessions to switch");
    const session = await switchTenant(createDb(c.env.DB), c.env.JWT_SECRET, {
      userId: actor.id,
      tenantId: c.req.valid("json").tenantId,
    });
    return c.json(session, 200);
  });
}
