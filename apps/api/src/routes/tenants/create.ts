import { createRoute, z } from "@hono/zod-openapi";
import { createDb } from "@crm/db";
import { ApiError, openApiErrorResponses } from "@crm/errors";
import { createOrganization } from "@crm/services";
import type { App } from "../../app";
import { access } from "../../lib/route";
import { throttleByIp } from "../auth/throttle";
import { SessionSchema } from "../auth/schema";

export const CreateTenantBodySchema = z
  .object({ name: z.string().trim().min(1).max(120).openapi({ example: "Acme Europe" }) })
  .openapi("CreateTenantRequest");

const route = createRoute({
  method: "post",
  path: "/api/v1/tenants",
  operationId: "createTenant",
  summary: "Found another organization as its owner; returns a session in it (the current one stays open)",
  tags: ["Tenants"],
  ...access({ keys: false }),
  request: { body: { required: true, content: { "application/json": { schema: CreateTenantBodySchema } } } },
  responses: {
    201: { description: "Organization created", content: { "application/json": { schema: SessionSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerCreateTenant(app: App): void {
  app.openapi(route, async (c) => {
    const actor = c.get("principal")!.actor;
    if (actor.type !== "user") throw new ApiError("FORBIDDEN", "Only people can found organizations");
    await throttleByIp(c, "create-tenant", 20, 60 * 60 * 1000);
    const { slug: _slug, ...session } = await createOrganization(
      { db: createDb(c.env.DB), requestId: c.get("requestId") },
      c.env.JWT_SECRET,
      { userId: actor.id, name: c.req.valid("json").name },
    );
    return c.json(session, 201);
  });
}
