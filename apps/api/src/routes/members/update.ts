import { createRoute } from "@hono/zod-openapi";
import { createDb } from "@crm/db";
import { openApiErrorResponses } from "@crm/errors";
import { changeMemberRole } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { MemberSchema, UpdateMemberBodySchema } from "./schema";

const route = createRoute({
  method: "patch",
  path: "/api/v1/members/{id}",
  operationId: "updateMember",
  summary: "Change a member's role (owner/admin). The last owner cannot be demoted.",
  tags: ["Members"],
  ...access({ scope: "members:write", role: "admin" }),
  request: {
    params: IdParamSchema,
    body: { required: true, content: { "application/json": { schema: UpdateMemberBodySchema } } },
  },
  responses: {
    200: { description: "The member with the new role", content: { "application/json": { schema: MemberSchema } } },
    ...openApiErrorResponses([409]),
  },
});

export function registerUpdateMember(app: App): void {
  app.openapi(route, async (c) => {
    const member = await changeMemberRole(
      tenantContext(c),
      createDb(c.env.DB),
      c.req.valid("param").id,
      c.req.valid("json").role,
    );
    return c.json(member, 200);
  });
}
