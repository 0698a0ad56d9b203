import { createRoute } from "@hono/zod-openapi";
import { createDb } from "@crm/db";
import { openApiErrorResponses } from "@crm/errors";
import { rotateRefreshToken } from "@crm/services";
import type { App } from "../../app";
import { access } from "../../lib/route";
import { RefreshBodySchema, SessionSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/auth/refresh",
  operationId: "refreshSession",
  summary: "Trade a refresh token for a new pair (the old one stops working; reusing it ends the session)",
  tags: ["Auth"],
  ...access({ public: true }),
  request: { body: { required: true, content: { "application/json": { schema: RefreshBodySchema } } } },
  responses: {
    200: { description: "New tokens", content: { "application/json": { schema: SessionSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerRefresh(app: App): void {
  app.openapi(route, async (c) => {
    const session = await rotateRefreshToken(createDb(c.env.DB), c.env.JWT_SECRET, c.req.valid("json").refreshToken);
    return c.json(session, 200);
  });
}
