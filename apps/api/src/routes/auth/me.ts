import { createRoute } from "@hono/zod-openapi";
import { createDb, tenants, users } from "@crm/db";
import { ApiError, openApiErrorResponses } from "@crm/errors";
import { listUserTenants } from "@crm/services";
import { eq } from "drizzle-orm";
import type { App } from "../../app";
import { access } from "../../lib/route";
import { MeSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/me",
  operationId: "getMe",
  summary: "The signed-in person, the current tenant and role, and every tenant they belong to",
  tags: ["Auth"],
  ...access({ keys: false }),
  responses: {
    200: { description: "The signed-in person", content: { "application/json": { schema: MeSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerMe(app: App): void {
  app.openapi(route, async (c) => {
    const principal = c.get("principal")!;
    if (principal.actor.type !== "user") throw new ApiError("FORBIDDEN", "Only people have a profile");
    const db = createDb(c.env.DB);
    const [user, tenant, memberships] = await Promise.all([
      db.query.users.findFirst({ where: eq(users.id, principal.actor.id) }),
      db.query.tenants.findFirst({ where: eq(tenants.id, principal.tenantId) }),
      listUserTenants(db, principal.actor.id),
    ]);
    if (!user || !tenant) throw new ApiError("UNAUTHORIZED", "The session has ended; log in again");
    return c.json(
      {
        user: { id: user.id, email: user.email, name: user.name, createdAt: user.createdAt.toISOString() },
        tenant: { id: tenant.id, name: tenant.name, slug: tenant.slug },
        role: principal.actor.role,
        tenants: memberships,
      },
      200,
    );
  });
}
