import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { revokeInvitation } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { InvitationSchema } from "./schema";

const route = createRoute({
  method: "delete",
  path: "/api/v1/invitations/{id}",
  operationId: "revokeInvitation",
  summary: "Revoke an invitation: its link answers 410 from now on",
  tags: ["Invitations"],
  ...access({ scope: "invitations:write", role: "admin" }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "The revoked invitation", content: { "application/json": { schema: InvitationSchema } } },
    ...openApiErrorResponses([409]),
  },
});

export function registerRevokeInvitation(app: App): void {
  app.openapi(route, async (c) => c.json(await revokeInvitation(tenantContext(c), c.req.valid("param").id), 200));
}
