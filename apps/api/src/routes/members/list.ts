import { createRoute } from "@hono/zod-openapi";
import { createDb } from "@crm/db";
import { openApiErrorResponses } from "@crm/errors";
import { listMembers } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { PageQuerySchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { MemberPageSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/members",
  operationId: "listMembers",
  summary: "The organization's people and their roles, in the order they joined",
  tags: ["Members"],
  ...access({ scope: "members:read" }),
  request: { query: PageQuerySchema },
  responses: {
    200: { description: "A page of members", content: { "application/json": { schema: MemberPageSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerListMembers(app: App): void {
  app.openapi(route, async (c) =>
    c.json(await listMembers(tenantContext(c), createDb(c.env.DB), c.req.valid("query")), 200),
  );
}
