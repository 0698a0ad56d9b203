import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { deleteContact } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";

const route = createRoute({
  method: "delete",
  path: "/api/v1/contacts/{id}",
  operationId: "deleteContact",
  summary: "Delete a contact",
  description: "Its notes, activities and lifecycle history go with it; its deals and tasks stay, unlinked.",
  tags: ["Contacts"],
  ...access({ scope: "contacts:write" }),
  request: { params: IdParamSchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses(),
  },
});

export function registerDeleteContact(app: App): void {
  app.openapi(route, async (c) => {
    await deleteContact(tenantContext(c), c.req.valid("param").id);
    return c.body(null, 204);
  });
}
