import { createRoute } from "@hono/zod-openapi";
import { createDb } from "@crm/db";
import { openApiErrorResponses } from "@crm/errors";
import { signup } from "@crm/services";
import type { App } from "../../app";
import { access } from "../../lib/route";
import { throttleByIp } from "./throttle";
import { SessionSchema, SignupBodySchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/auth/signup",
  operationId: "signup",
  summary: "Create an organization (tenant) and its owner; returns a session",
  tags: ["Auth"],
  ...access({ public: true }),
  request: { body: { required: true, content: { "application/json": { schema: SignupBodySchema } } } },
  responses: {
    201: {
      description: "Tenant, owner and session created",
      content: { "application/json": { schema: SessionSchema } },
    },
    ...openApiErrorResponses([409]),
  },
});

export function registerSignup(app: App): void {
  app.openapi(route, async (c) => {
    await throttleByIp(c, "signup", 20, 60 * 60 * 1000);
    const { userId: _userId, ...session } = await signup(createDb(c.env.DB), c.env.JWT_SECRET, c.req.valid("json"));
    return c.json(session, 201);
  });
}
