import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { createCustomField } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { CreateCustomFieldBodySchema, CustomFieldSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/custom-fields",
  operationId: "createCustomField",
  summary: "Add a custom field to an object (owner/admin)",
  description:
    "The key is unique per object (409 with `existingId`). Records that still hold values under the key from a " +
    "deleted field show them again if the new type can read them; otherwise 409.",
  tags: ["Custom fields"],
  ...access({ scope: "custom_fields:write", role: "admin" }),
  request: { body: { required: true, content: { "application/json": { schema: CreateCustomFieldBodySchema } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: CustomFieldSchema } } },
    ...openApiErrorResponses([409]),
  },
});

export function registerCreateCustomField(app: App): void {
  app.openapi(route, async (c) => c.json(await createCustomField(tenantContext(c), c.req.valid("json")), 201));
}
