import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { listInvitations } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { InvitationListQuerySchema, InvitationPageSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/invitations",
  operationId: "listInvitations",
  summary: "List invitations, newest first, optionally by status",
  tags: ["Invitations"],
  ...access({ scope: "invitations:read", role: "admin" }),
  request: { query: InvitationListQuerySchema },
  responses: {
    200: { description: "A page of invitations", content: { "application/json": { schema: InvitationPageSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerListInvitations(app: App): void {
  app.openapi(route, async (c) => c.json(await listInvitations(tenantContext(c), c.req.valid("query")), 200));
}
