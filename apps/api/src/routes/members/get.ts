import { createRoute } from "@hono/zod-openapi";
import { createDb } from "@crm/db";
import { openApiErrorResponses } from "@crm/errors";
import { getMember } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { MemberSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/members/{id}",
  operationId: "getMember",
  summary: "One member, by user id",
  tags: ["Members"],
  ...access({ scope: "members:read" }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "The member", content: { "application/json": { schema: MemberSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerGetMember(app: App): void {
  app.openapi(route, async (c) =>
    c.json(await getMember(tenantContext(c), createDb(c.env.DB), c.req.valid("param").id), 200),
  );
}
