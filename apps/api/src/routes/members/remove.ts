import { createRoute } from "@hono/zod-openapi";
import { createDb } from "@crm/db";
import { openApiErrorResponses } from "@crm/errors";
import { removeMember } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";

const route = createRoute({
  method: "delete",
  path: "/api/v1/members/{id}",
  operationId: "removeMember",
  summary:
    "Remove someone from the organization and end their sessions in it. Anyone may remove themselves; " +
    "removing others takes owner/admin (an owner for another owner). The last owner cannot be removed.",
  tags: ["Members"],
  // Viewer on purpose: leaving is open to every role; the service checks removing others.
  ...access({ scope: "members:write", role: "viewer" }),
  request: { params: IdParamSchema },
  responses: {
    204: { description: "Removed" },
    ...openApiErrorResponses([409]),
  },
});

export function registerRemoveMember(app: App): void {
  app.openapi(route, async (c) => {
    await removeMember(tenantContext(c), createDb(c.env.DB), c.req.valid("param").id);
    return c.body(null, 204);
  });
}
