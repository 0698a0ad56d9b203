import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { deleteCustomField } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";

const route = createRoute({
  method: "delete",
  path: "/api/v1/custom-fields/{id}",
  operationId: "deleteCustomField",
  summary: "Delete a custom field (owner/admin)",
  description:
    "Records keep their stored values, but they are no longer shown, validated, filtered or sorted on. Creating a " +
    "field with the same key and a compatible type shows them again.",
  tags: ["Custom fields"],
  ...access({ scope: "custom_fields:write", role: "admin" }),
  request: { params: IdParamSchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses(),
  },
});

export function registerDeleteCustomField(app: App): void {
  app.openapi(route, async (c) => {
    await deleteCustomField(tenantContext(c), c.req.valid("param").id);
    return c.body(null, 204);
  });
}
