import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { deleteMailbox } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";

const route = createRoute({
  method: "delete",
  path: "/api/v1/mailboxes/{id}",
  operationId: "deleteMailbox",
  summary: "Delete a mailbox (owner/admin); 409 while a live sequence sends through it",
  tags: ["Mailboxes"],
  ...access({ scope: "outreach:write", role: "admin" }),
  request: { params: IdParamSchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses([409]),
  },
});

export function registerDeleteMailbox(app: App): void {
  app.openapi(route, async (c) => {
    await deleteMailbox(tenantContext(c), c.req.valid("param").id);
    return c.body(null, 204);
  });
}
