import { createRoute } from "@hono/zod-openapi";
import { createDb } from "@crm/db";
import { ApiError, openApiErrorResponses } from "@crm/errors";
import { login } from "@crm/services";
import type { App } from "../../app";
import { access } from "../../lib/route";
import { loginThrottle } from "./throttle";
import { LoginBodySchema, SessionSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/auth/login",
  operationId: "login",
  summary: "Log in with email and password; returns an access and a refresh token",
  tags: ["Auth"],
  ...access({ public: true }),
  request: { body: { required: true, content: { "application/json": { schema: LoginBodySchema } } } },
  responses: {
    200: { description: "Session opened", content: { "application/json": { schema: SessionSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerLogin(app: App): void {
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const throttle = loginThrottle(c, body.email);
    await throttle.check();
    try {
      const { userId: _userId, ...session } = await login(createDb(c.env.DB), c.env.JWT_SECRET, body);
      return c.json(session, 200);
    } catch (error) {
      if (error instanceof ApiError && error.code === "UNAUTHORIZED") await throttle.recordFailure();
      throw error;
    }
  });
}
