import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { getInvitation } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { InvitationSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/invitations/{id}",
  operationId: "getInvitation",
  summary: "One invitation",
  tags: ["Invitations"],
  ...access({ scope: "invitations:read", role: "admin" }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "The invitation", content: { "application/json": { schema: InvitationSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerGetInvitation(app: App): void {
  app.openapi(route, async (c) => c.json(await getInvitation(tenantContext(c), c.req.valid("param").id), 200));
}
