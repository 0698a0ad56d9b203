import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { updateCustomField } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { CustomFieldSchema, UpdateCustomFieldBodySchema } from "./schema";

const route = createRoute({
  method: "patch",
  path: "/api/v1/custom-fields/{id}",
  operationId: "updateCustomField",
  summary: "Change a custom field's label, options, required flag, position or type (owner/admin)",
  description:
    "The key and object are fixed. Changing the type while any record holds a value for the field is 409 " +
    "(`recordCount` says how many).",
  tags: ["Custom fields"],
  ...access({ scope: "custom_fields:write", role: "admin" }),
  request: {
    params: IdParamSchema,
    body: { required: true, content: { "application/json": { schema: UpdateCustomFieldBodySchema } } },
  },
  responses: {
    200: { description: "The field as changed", content: { "application/json": { schema: CustomFieldSchema } } },
    ...openApiErrorResponses([409]),
  },
});

export function registerUpdateCustomField(app: App): void {
  app.openapi(route, async (c) =>
    c.json(await updateCustomField(tenantContext(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );
}
